package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BoundedMemoTest {

    @Test
    void computesOncePerKeyAndStartsOverWhenFull() {
        BoundedMemo<String, String> memo = new BoundedMemo<>(2);
        AtomicInteger computed = new AtomicInteger();
        BoundedMemo.Computation<String, String, RuntimeException> upper = k -> {
            computed.incrementAndGet();
            return k.toUpperCase();
        };

        assertThat(memo.get("a", upper)).isEqualTo("A");
        assertThat(memo.get("a", upper)).isEqualTo("A");
        assertThat(computed).hasValue(1);
        memo.get("b", upper);
        assertThat(memo.size()).isEqualTo(2);

        assertThat(memo.get("c", upper)).isEqualTo("C"); // full: starts over with c
        assertThat(memo.size()).isEqualTo(1);
        memo.get("a", upper);
        assertThat(computed).hasValue(4);
    }

    @Test
    void aFailedComputationKeepsNothing() {
        BoundedMemo<String, String> memo = new BoundedMemo<>(4);
        assertThatThrownBy(() -> memo.get("x", k -> {
            throw new java.io.IOException("unreadable " + k);
        })).isInstanceOf(java.io.IOException.class);
        assertThat(memo.size()).isZero();
        assertThat(memo.get("x", k -> "ok")).isEqualTo("ok");
    }
}
