package org.smimegw.certstore.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;

class StoreSnapshotTest {

    @Test
    void threadsAskingForTheSameKeyAtOnceShareOneUnlock() throws Exception {
        StoreSnapshot snapshot = new StoreSnapshot("sig", TrustCollection.EMPTY, Map.of(), Map.of(), Map.of(),
                List.of(), Set.of());
        AtomicInteger unlocks = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        java.util.function.Function<String, UserKey> slowReader = fp -> {
            unlocks.incrementAndGet();
            try {
                Thread.sleep(50); // a PKCS#12 key derivation takes milliseconds
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new UserKey(pair.getPrivate(), null, List.of(), KeyStorage.SOFTWARE);
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<UserKey>> keys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<UserKey> ask = () -> {
                    start.await();
                    return snapshot.key("ab12", slowReader);
                };
                keys.add(pool.submit(ask));
            }
            start.countDown();
            UserKey first = keys.get(0).get();
            for (Future<UserKey> k : keys) {
                assertThat(k.get()).isSameAs(first);
            }
            assertThat(unlocks).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnusableKeyIsNotKeptAndIsAskedForAgain() {
        StoreSnapshot snapshot = new StoreSnapshot("sig", TrustCollection.EMPTY, Map.of(), Map.of(), Map.of(),
                List.of(), Set.of());
        AtomicInteger reads = new AtomicInteger();
        assertThat(snapshot.key("cd34", fp -> {
            reads.incrementAndGet();
            return null;
        })).isNull();
        assertThat(snapshot.key("cd34", fp -> {
            reads.incrementAndGet();
            return null;
        })).isNull();
        assertThat(reads).hasValue(2);
    }
}
