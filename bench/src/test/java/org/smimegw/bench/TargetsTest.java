package org.smimegw.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.bench.Rows.row;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.bench.report.Metric;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.bench.report.Target;

class TargetsTest {

    private static Target target(String name) {
        return Targets.all().stream().filter(t -> t.metric().name().equals(name)).findFirst().orElseThrow();
    }

    private static Metric informational(String prefix) {
        return Targets.informational().stream().filter(m -> m.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void relayRatiosDivideRowsOfTheSameRunByRateAndByCpuPerMessage() {
        SuiteRun run = new SuiteRun(1);
        run.add(row(Targets.POSTFIX_PLAIN, 400, 5.0));
        run.add(row(Targets.GATEWAY_PLAIN, 1100, 2.0));
        run.add(row(Targets.GATEWAY_VERIFY, 500, 4.0));

        Target plain = target("gateway plain / Postfix plain");
        assertThat(plain.metric().of(run)).isEqualTo(2.75);
        assertThat(plain.boundText()).isEqualTo("≥ 2.50×");
        assertThat(plain.met(plain.metric().of(run))).isTrue();
        Target verify = target("gateway verify / Postfix plain");
        assertThat(verify.metric().of(run)).isEqualTo(1.25);
        assertThat(verify.met(verify.metric().of(run))).isFalse(); // ≥ 1.5× wanted
        // Postfix's CPU per message / the gateway's: 5.0 / 2.0, against the same bound
        Target cpu = target("CPU-normalised: gateway plain / Postfix plain");
        assertThat(cpu.metric().of(run)).isEqualTo(2.5);
        assertThat(cpu.bound()).isEqualTo(2.5);
        assertThat(target("gateway decrypt+verify / Postfix plain").metric().of(run)).isNaN(); // no row
    }

    @Test
    void theSmtpSourcePairComparesTheGatewayWithPostfixBothDrivenBySmtpSource() {
        SuiteRun run = new SuiteRun(1);
        run.add(row(Targets.POSTFIX_PLAIN, 400, 5.0));
        run.add(row(Targets.POSTFIX_PLAIN + Targets.VIA_SMTP_SOURCE, 300, 6.0));
        run.add(row(Targets.GATEWAY_SIGN_ENCRYPT, 1000, 5.0));
        run.add(row("gateway sign+encrypt RSA-2048 10KB via smtp-source", 330, 3.0));

        assertThat(target("via smtp-source: gateway sign+encrypt / Postfix plain").metric().of(run))
                .isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(target("CPU-normalised: via smtp-source: gateway sign+encrypt / Postfix plain").metric().of(run))
                .isEqualTo(2.0);
        assertThat(target("via smtp-source: gateway plain / Postfix plain").metric().of(run)).isNaN();
    }

    @Test
    void aRowThatDeliveredNothingGivesNoRatio() {
        SuiteRun run = new SuiteRun(1);
        run.add(row(Targets.POSTFIX_PLAIN, 400, 5.0));
        run.add(row(Targets.GATEWAY_PLAIN, 0, 0, 0, 100, 0));
        assertThat(target("gateway plain / Postfix plain").metric().of(run)).isNaN();
    }

    @Test
    void theBigMessageIsMetOnlyWhenItsOneMessageWasDelivered() {
        Target big = target("50 MB (the default smtp.maxMessageSize) signed+encrypted with -Xmx256m (1 = delivered)");
        SuiteRun delivered = new SuiteRun(1);
        delivered.add(row(Targets.BIG, 0.1, 9000, 1, 0, 900));
        SuiteRun refused = new SuiteRun(2);
        refused.add(row(Targets.BIG, 0, 0, 0, 1, 0));
        assertThat(big.met(big.metric().of(delivered))).isTrue();
        assertThat(big.met(big.metric().of(refused))).isFalse();
        assertThat(big.metric().of(new SuiteRun(3))).isNaN();
    }

    @Test
    void latencyAndStartAreUpperBounds() {
        SuiteRun run = new SuiteRun(1);
        run.add(row(Targets.GATEWAY_PLAIN + Targets.HALF_RATE, 500, 1.5, 100, 0, 21));
        run.figure(Targets.START_SECONDS, 1.4);
        run.figure(Targets.COLD_START_SECONDS, 3.2);
        Target latency = target("p99 accept latency, plain relay at half of max throughput");
        assertThat(latency.metric().of(run)).isEqualTo(21);
        assertThat(latency.met(21)).isFalse();
        Target start = target("gateway start with the launcher's start-up cache (launch → ready line)");
        assertThat(start.metric().of(run)).isEqualTo(1.4);
        assertThat(start.met(1.4)).isTrue();
        assertThat(informational("gateway start without start-up cache").of(run)).isEqualTo(3.2);
    }

    @Test
    void issue6CryptoRatiosAreInformationalNotTargets() {
        assertThat(Targets.all()).extracting(t -> t.metric().name()).noneMatch(n -> n.contains("openssl"))
                .noneMatch(n -> n.contains("raw crypto"));
        assertThat(Targets.informational()).extracting(Metric::name)
                .anyMatch(n -> n.startsWith("gateway sign+encrypt / openssl cms"))
                .anyMatch(n -> n.startsWith("CPU-normalised: gateway sign+encrypt / raw crypto, BC provider"));
        List<String> names = Targets.all().stream().map(t -> t.metric().name()).toList();
        assertThat(names).doesNotHaveDuplicates();
    }
}
