package org.smimegw.bench;

import java.util.List;
import java.util.Optional;

import org.smimegw.bench.baseline.CryptoResult;
import org.smimegw.bench.load.ThroughputResult;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.bench.report.Target;

/** The targets, computed from a run's rows by their names. */
public final class Targets {

    public static final String POSTFIX_PLAIN = "postfix plain 10KB";
    public static final String GATEWAY_PLAIN = "gateway plain 10KB";
    public static final String GATEWAY_SIGN_ENCRYPT = "gateway sign+encrypt RSA-2048 10KB";
    public static final String HALF_RATE = " @ half max";
    public static final String BIG_OK = "gateway 25MB sign+encrypt -Xmx256m delivered (1 = yes)";
    public static final String BIG_HEAP = "gateway 25MB sign+encrypt -Xmx256m peak heap MB";
    public static final String START_SECONDS = "gateway start to ready line, s (median of starts)";

    private Targets() {
    }

    public static List<Target> all() {
        return List.of(
                new Target("gateway plain / Postfix plain", 1.5, true, "×",
                        r -> ratio(load(r, GATEWAY_PLAIN), load(r, POSTFIX_PLAIN))),
                new Target("gateway sign+encrypt / Postfix plain", 1.0, true, "×",
                        r -> ratio(load(r, GATEWAY_SIGN_ENCRYPT), load(r, POSTFIX_PLAIN))),
                new Target("gateway sign+encrypt / openssl cms (2 workers)", 4.0, true, "×",
                        r -> ratio(load(r, GATEWAY_SIGN_ENCRYPT), crypto(r, "openssl cms"))),
                new Target("gateway sign+encrypt / raw crypto ceiling (BC provider, 2 threads)", 0.7, true, "×",
                        r -> ratio(load(r, GATEWAY_SIGN_ENCRYPT), crypto(r, "raw BC"))),
                new Target("gateway sign+encrypt / raw crypto ceiling (JDK providers, 2 threads)", 0.7, true, "×",
                        r -> ratio(load(r, GATEWAY_SIGN_ENCRYPT), crypto(r, "raw JDK"))),
                new Target("p99 accept latency, sign+encrypt at half of max throughput", 20, false, " ms",
                        r -> r.load(GATEWAY_SIGN_ENCRYPT + HALF_RATE).map(t -> t.accept().p99())),
                new Target("p99 accept latency, plain relay at half of max throughput", 20, false, " ms",
                        r -> r.load(GATEWAY_PLAIN + HALF_RATE).map(t -> t.accept().p99())),
                new Target("25 MB signed+encrypted with -Xmx256m (1 = delivered)", 1, true, "",
                        r -> Optional.ofNullable(r.figures().get(BIG_OK))),
                new Target("gateway start (launch → ready line)", 2, false, " s",
                        r -> Optional.ofNullable(r.figures().get(START_SECONDS))),
                // the same throughput ratios from CPU cost per message (msgs per CPU-second), which a shared,
                // fluctuating machine disturbs much less than msgs per wall-second
                new Target("CPU-normalised: gateway plain / Postfix plain", 1.5, true, "×",
                        r -> ratio(cpu(r, POSTFIX_PLAIN), cpu(r, GATEWAY_PLAIN))),
                new Target("CPU-normalised: gateway sign+encrypt / Postfix plain", 1.0, true, "×",
                        r -> ratio(cpu(r, POSTFIX_PLAIN), cpu(r, GATEWAY_SIGN_ENCRYPT))),
                new Target("CPU-normalised: gateway sign+encrypt / openssl cms", 4.0, true, "×",
                        r -> ratio(cryptoCpu(r, "openssl cms"), cpu(r, GATEWAY_SIGN_ENCRYPT))),
                new Target("CPU-normalised: gateway sign+encrypt / raw crypto (BC)", 0.7, true, "×",
                        r -> ratio(cryptoCpu(r, "raw BC"), cpu(r, GATEWAY_SIGN_ENCRYPT))),
                new Target("CPU-normalised: gateway sign+encrypt / raw crypto (JDK)", 0.7, true, "×",
                        r -> ratio(cryptoCpu(r, "raw JDK"), cpu(r, GATEWAY_SIGN_ENCRYPT))));
    }

    /** SUT CPU milliseconds per delivered message of a row. */
    private static Optional<Double> cpu(SuiteRun r, String name) {
        return r.load(name).map(ThroughputResult::sutCpuMillisPerMessage).filter(v -> v > 0);
    }

    private static Optional<Double> cryptoCpu(SuiteRun r, String name) {
        return r.crypto().stream()
                .filter(c -> c.name().equals(name) && c.keyType().equals("RSA-2048") && c.recipients() == 1
                        && c.messageBytes() < 20_000)
                .findFirst().map(CryptoResult::cpuMillisPerMessage).filter(v -> v > 0);
    }

    private static Optional<Double> load(SuiteRun r, String name) {
        return r.load(name).filter(t -> t.delivered() > 0).map(ThroughputResult::deliveredPerSecond);
    }

    private static Optional<Double> crypto(SuiteRun r, String name) {
        return r.crypto().stream()
                .filter(c -> c.name().equals(name) && c.keyType().equals("RSA-2048") && c.recipients() == 1
                        && c.messageBytes() < 20_000)
                .findFirst().map(CryptoResult::perSecond).filter(v -> v > 0);
    }

    private static Optional<Double> ratio(Optional<Double> a, Optional<Double> b) {
        return a.flatMap(x -> b.map(y -> x / y));
    }
}
