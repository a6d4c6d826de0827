package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Cache;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** MX resolution against a DNS server on loopback that answers from a zone. */
class MxResolverTest {
    static final String ZONE = """
            ; preference order; a and b share preference 10
            pref            IN MX   20 c.pref
            pref            IN MX   10 a.pref
            pref            IN MX   10 b.pref
            a.pref          IN A    127.0.0.1
            b.pref          IN A    127.0.0.2
            c.pref          IN A    127.0.0.3
            dual            IN MX   10 mx.dual
            mx.dual         IN AAAA ::1
            mx.dual         IN A    127.0.0.4
            many            IN MX   10 mx.many
            many            IN MX   20 mx2.many
            mx.many         IN A    127.0.0.1
            mx.many         IN A    127.0.0.2
            mx.many         IN A    127.0.0.3
            mx2.many        IN A    127.0.0.4
            nullmx          IN MX   0 .
            addressonly     IN A    127.0.0.5
            textonly        IN TXT  "no mail here"
            noaddress       IN MX   10 gone.noaddress
            brokenhost      IN MX   10 mx.brokenhost
            servfail        IN MX   10 mx.servfail
            silent          IN MX   10 mx.silent
            short       2   IN MX   10 mx.short
            mx.short        IN A    127.0.0.1
            long            IN MX   10 mx.long
            mx.long         IN A    127.0.0.1
            """;

    private TestDnsServer dns;
    private MxResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.forTestZone(ZONE).servfail("servfail.test.").servfail("mx.brokenhost.test.")
                .silent("silent.test.");
        resolver = resolver(new Random(7), 5);
    }

    private MxResolver resolver(Random random, int maxAddresses) throws Exception {
        SimpleResolver server = new SimpleResolver(new InetSocketAddress("127.0.0.1", dns.port()));
        server.setTimeout(Duration.ofMillis(500));
        return new MxResolver(server, new Cache(), random, maxAddresses);
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private static List<String> labels(MxResolver.Answer answer) {
        assertThat(answer).isInstanceOf(MxResolver.Exchangers.class);
        return ((MxResolver.Exchangers) answer).addresses().stream().map(MxResolver.Exchanger::label).toList();
    }

    private static void assertFailure(MxResolver.Answer answer, RecipientResult.Outcome outcome, String status,
                                      String reason) {
        assertThat(answer).isInstanceOf(MxResolver.Failure.class);
        MxResolver.Failure failure = (MxResolver.Failure) answer;
        assertThat(failure.outcome()).isEqualTo(outcome);
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.reason()).contains(reason);
    }

    @Test
    void exchangersComeInPreferenceOrderAndInRandomOrderAmongEqualPreference() {
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<String> labels = labels(resolver.resolve("pref.test"));
            assertThat(labels).hasSize(3);
            assertThat(labels.subList(0, 2)).containsExactlyInAnyOrder("a.pref.test[127.0.0.1]",
                    "b.pref.test[127.0.0.2]");
            assertThat(labels.get(2)).isEqualTo("c.pref.test[127.0.0.3]");
            orders.add(labels);
        }
        assertThat(orders).hasSize(2); // both a-first and b-first occurred
    }

    @Test
    void aHostsIpv4AddressesComeBeforeItsIpv6Ones() {
        assertThat(labels(resolver.resolve("dual.test"))).containsExactly("mx.dual.test[127.0.0.4]",
                "mx.dual.test[0:0:0:0:0:0:0:1]");
    }

    @Test
    void atMostMaxAddressesAreReturned() throws Exception {
        assertThat(labels(resolver(new Random(1), 2).resolve("many.test"))).hasSize(2)
                .allMatch(l -> l.startsWith("mx.many.test["));
        assertThat(labels(resolver.resolve("many.test"))).hasSize(4).last().isEqualTo("mx2.many.test[127.0.0.4]");
    }

    @Test
    void aDomainWithoutMxIsItsOwnExchanger() {
        MxResolver.Answer answer = resolver.resolve("addressonly.test");
        assertThat(labels(answer)).containsExactly("addressonly.test[127.0.0.5]");
        assertThat(((MxResolver.Exchangers) answer).addresses().get(0).preference()).isZero();
    }

    @Test
    void aNullMxMeansTheDomainAcceptsNoMail() {
        assertFailure(resolver.resolve("nullmx.test"), RecipientResult.Outcome.FAILED, "5.1.10", "null MX");
    }

    @Test
    void aDomainThatDoesNotExistFailsPermanently() {
        assertFailure(resolver.resolve("nosuchdomain.test"), RecipientResult.Outcome.FAILED, "5.1.2", "NXDOMAIN");
    }

    @Test
    void aDomainWithNeitherMxNorAddressFailsPermanently() {
        assertFailure(resolver.resolve("textonly.test"), RecipientResult.Outcome.FAILED, "5.4.4",
                "neither MX nor address");
        assertFailure(resolver.resolve("noaddress.test"), RecipientResult.Outcome.FAILED, "5.4.4",
                "no MX host of noaddress.test has an address");
    }

    @Test
    void dnsServerFailuresAndTimeoutsAreTemporary() {
        assertFailure(resolver.resolve("servfail.test"), RecipientResult.Outcome.DEFERRED, "4.4.3", "SERVFAIL");
        assertFailure(resolver.resolve("brokenhost.test"), RecipientResult.Outcome.DEFERRED, "4.4.3",
                "mx.brokenhost.test A: SERVFAIL");
        assertFailure(resolver.resolve("silent.test"), RecipientResult.Outcome.DEFERRED, "4.4.3", "silent.test failed");
    }

    @Test
    void answersAreCachedForTheirTtlAndFailuresAreAskedAgain() throws Exception {
        resolver.resolve("short.test");
        resolver.resolve("long.test");
        resolver.resolve("nosuchdomain.test");
        resolver.resolve("servfail.test");
        resolver.resolve("short.test");
        resolver.resolve("long.test");
        resolver.resolve("nosuchdomain.test");
        resolver.resolve("servfail.test");
        assertThat(dns.queries("short.test.", Type.MX)).isEqualTo(1);
        assertThat(dns.queries("long.test.", Type.MX)).isEqualTo(1);
        assertThat(dns.queries("mx.short.test.", Type.A)).isEqualTo(1);
        assertThat(dns.queries("nosuchdomain.test.", Type.MX)).isEqualTo(1); // negative answer: SOA minimum 60 s
        assertThat(dns.queries("servfail.test.", Type.MX)).isGreaterThanOrEqualTo(2); // a failure is not an answer

        // dnsjava's Cache reads the system clock (its Clock constructor is not public): wait out the 2 s TTL
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (dns.queries("short.test.", Type.MX) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            resolver.resolve("short.test");
        }
        assertThat(dns.queries("short.test.", Type.MX)).isEqualTo(2);
        resolver.resolve("long.test");
        assertThat(dns.queries("long.test.", Type.MX)).isEqualTo(1);
        assertThat(dns.queries("mx.short.test.", Type.A)).isEqualTo(1); // its own TTL is an hour
    }
}
