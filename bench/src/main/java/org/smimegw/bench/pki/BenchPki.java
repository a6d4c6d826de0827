package org.smimegw.bench.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.certstore.testing.TestPki.Issued;
import org.smimegw.certstore.testing.TestPki.KeyType;

/**
 * The bench's certificates, from the shared {@link TestPki} fixture: per key type the internal sender
 * alice@example.com and recipients user1..user10@partner.example (outgoing), and per key type a partner sender
 * bob@partner.example (incoming verify/decrypt scenarios). PEM files for openssl are written on demand.
 */
public final class BenchPki {

    public static final int MAX_RECIPIENTS = 10;

    private final TestPki pki;
    private final Map<KeyType, Issued> alice = new EnumMap<>(KeyType.class);
    private final Map<KeyType, Issued> bob = new EnumMap<>(KeyType.class);
    private final Map<KeyType, List<Issued>> partners = new EnumMap<>(KeyType.class);

    public BenchPki() {
        this.pki = TestPki.create("Bench");
    }

    public TestPki pki() {
        return pki;
    }

    public synchronized Issued alice(KeyType type) {
        return alice.computeIfAbsent(type, t -> pki.user("alice@example.com").keyType(t).issue());
    }

    public synchronized Issued bob(KeyType type) {
        return bob.computeIfAbsent(type, t -> pki.user("bob@partner.example").keyType(t).issue());
    }

    /** Recipient certificates user1..user{k}@partner.example of the given key type. */
    public synchronized List<Issued> partners(KeyType type, int k) {
        List<Issued> list = partners.computeIfAbsent(type, t -> new ArrayList<>());
        while (list.size() < k) {
            list.add(pki.user("user" + (list.size() + 1) + "@partner.example").keyType(type).issue());
        }
        return List.copyOf(list.subList(0, k));
    }

    /** Writes {@code issued}'s certificate as PEM, returns the file. */
    public static Path writeCertificate(Issued issued, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return TestPki.writePem(file, issued.certificate());
    }

    /** Writes {@code issued}'s private key as PEM, returns the file. */
    public static Path writeKey(Issued issued, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return TestPki.writePem(file, issued.privateKey());
    }
}
