package org.smimegw.gateway.smime.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.smime.SmimeGatewayFixture;
import org.smimegw.gateway.smime.attacks.AttackCase.AttackClass;

/**
 * The attack suite ({@link AttackCatalogue}) through the real gateway: the shipped {@code conf/mailetcontainer.xml},
 * SMTP on an ephemeral port, each case's message sent as the attacker wrote it, and the copy delivered to the next
 * hop (the embedded GreenMail) checked against the case's safe verdict. One gateway for all cases; every message is
 * sent first, then each case is one dynamic test, grouped by attack class.
 */
class AttackSuiteTest {

    @TempDir
    static Path dir;
    private static SmimeGatewayFixture gateway;
    private static List<AttackCase> cases;

    @BeforeAll
    static void sendEveryAttack() throws Exception {
        Parties parties = new Parties(dir.resolve("scratch"));
        Path yaml = SmimeGatewayFixture.writeConfig(dir, "");
        FileCertificateStore store = FileCertificateStore.fromConfig(new ConfigLoader().load(yaml).certstore(), dir,
                System::getenv);
        parties.fill(store);
        cases = AttackCatalogue.all(parties);
        gateway = SmimeGatewayFixture.start(dir);
        for (AttackCase c : cases) {
            String reply = gateway.send(Raw.bytes(c.wire()), c.from(), c.to().toArray(String[]::new));
            assertThat(reply).as(c.id() + " accepted").startsWith("250");
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyAttackArrivesWithItsSafeVerdict() {
        return cases.stream().collect(Collectors.groupingBy(AttackCase::attackClass, () -> new EnumMap<>(
                        AttackClass.class), Collectors.toList()))
                .entrySet().stream()
                .map(e -> DynamicContainer.dynamicContainer(e.getKey().title() + " (" + e.getValue().size() + ")",
                        e.getValue().stream().map(c -> DynamicTest.dynamicTest(c.id() + ": " + c.safeVerdict(),
                                () -> check(c)))));
    }

    private static void check(AttackCase c) throws Exception {
        MimeMessage delivered = awaitDelivered(c);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        delivered.writeTo(raw);
        String headers = Raw.headers(raw.toString(StandardCharsets.ISO_8859_1));
        System.out.println("attack " + c.id() + ": " + headers.lines().filter(l -> l.startsWith("X-SMIME-Status")
                || l.startsWith("X-SMIME-Decryption") || l.startsWith("X-SMIME-Reason")).toList());
        try {
            c.expectation().and(AttackCase.noInternals()).verify(new AttackCase.Delivered(delivered,
                    raw.toString(StandardCharsets.ISO_8859_1), c.wire()));
        } catch (AssertionError e) {
            throw new AssertionError(c.id() + " (" + c.sends() + "; safe verdict: " + c.safeVerdict()
                    + ") arrived as:\n" + Raw.headers(raw.toString(StandardCharsets.ISO_8859_1)) + "\n" + e.getMessage(),
                    e);
        }
    }

    private static MimeMessage awaitDelivered(AttackCase c) throws Exception {
        MimeMessage[] found = new MimeMessage[1];
        SmimeGatewayFixture.await(c.id() + " delivered to " + c.inspect(), () -> {
            found[0] = find(c).orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private static Optional<MimeMessage> find(AttackCase c) {
        for (MimeMessage m : gateway.inbox(c.inspect())) {
            try {
                String[] id = m.getHeader(AttackCase.HEADER);
                if (id != null && id[0].trim().equals(c.id())) {
                    return Optional.of(m);
                }
            } catch (Exception e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    /** The suite's size per class, as the README reports it; names are unique and every class has cases. */
    @Test
    void everyClassHasCasesAndTheCountsAreReported() {
        assertThat(cases.stream().map(AttackCase::id).distinct().count()).isEqualTo(cases.size());
        Map<AttackClass, Long> counts = cases.stream().collect(Collectors.groupingBy(AttackCase::attackClass,
                () -> new EnumMap<>(AttackClass.class), Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrder(AttackClass.values());
        StringBuilder table = new StringBuilder("attack suite: ").append(cases.size()).append(" cases");
        counts.forEach((k, n) -> table.append("\n  ").append(k.title()).append(": ").append(n));
        System.out.println(table);
    }
}
