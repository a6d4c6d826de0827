package org.smimegw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.bench.GatewayScenarios.Group;
import org.smimegw.bench.GatewayScenarios.Kind;
import org.smimegw.bench.GatewayScenarios.Measure;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.bench.report.GatewayStart;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.certstore.testing.TestPki.KeyType;
import org.smimegw.gateway.smtp.SmtpConfig;

class GatewayScenariosTest {

    @Test
    void theBigMessageIsTheLargestTheDefaultSizeLimitAcceptsAndItsRowIsTheTargetsRow() {
        MessageTemplate big = MessageTemplate.plain(GatewayScenarios.BIG_MESSAGE, MessageTemplate.partnerRecipients(1));
        // the generator puts "X-Bench-Id: <prefix>-<n>\r\n" in front: the prefix is the row name and a nanoTime
        int benchIdHeader = ("X-Bench-Id: " + Targets.BIG.replaceAll("[^A-Za-z0-9]+", "_") + "_" + Long.toHexString(
                Long.MAX_VALUE) + "-" + Long.MAX_VALUE + "\r\n").length();
        assertThat((long) big.size() + benchIdHeader).isLessThanOrEqualTo(SmtpConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(big.size()).isGreaterThan(50 * 1024 * 1024 - 2048);

        Group group = new Group(Kind.SIGN_ENCRYPT, KeyType.RSA_2048, List.of("-Xmx256m"), List.of());
        assertThat(GatewayScenarios.name(group, new Measure(GatewayScenarios.BIG_MESSAGE, 1, false)))
                .isEqualTo(Targets.BIG);
    }

    @Test
    void theStartTargetIsTheMedianOfTheStartsWithCacheAndTheFirstStartIsReportedApart() {
        SuiteRun run = new SuiteRun(1);
        run.add(new GatewayStart(3200, 4000, false));
        run.add(new GatewayStart(1700, 2500, true));
        run.add(new GatewayStart(1500, 2300, true));
        run.add(new GatewayStart(1600, 2400, true));
        GatewayScenarios.startFigures(run);
        assertThat(run.figures().get(Targets.START_SECONDS)).isEqualTo(1.6);
        assertThat(run.figures().get(Targets.COLD_START_SECONDS)).isEqualTo(3.2);
        assertThat(run.figures().get("gateway start with cache, fastest of 3 starts, s")).isEqualTo(1.5);
    }

    @Test
    void withoutAnyStartWithCacheTheStartTargetIsNotMeasured() {
        SuiteRun run = new SuiteRun(1);
        run.add(new GatewayStart(3000, 3800, false));
        run.add(new GatewayStart(3400, 4200, false));
        GatewayScenarios.startFigures(run);
        assertThat(run.figures()).doesNotContainKey(Targets.START_SECONDS);
        assertThat(run.figures().get(Targets.COLD_START_SECONDS)).isEqualTo(3.4); // median of two: the upper one
    }
}
