package org.smimegw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.bench.baseline.CryptoResult;
import org.smimegw.bench.load.ThroughputResult;
import org.smimegw.bench.report.Metric;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.bench.report.Target;

/**
 * Issue 11's targets and the informational metrics beside them, computed from one run's rows by their names: every
 * ratio divides two rows of the same run.
 */
public final class Targets {

    public static final String HEADING = "Targets (issue 11: 10 KB, RSA-2048, 20 sessions, 2 cores, ratios of rows "
            + "of the same run; met = every run meets it)";
    public static final String POSTFIX_PLAIN = "postfix plain 10KB";
    public static final String GATEWAY_PLAIN = "gateway plain 10KB";
    public static final String GATEWAY_SIGN_ENCRYPT = "gateway sign+encrypt RSA-2048 10KB";
    public static final String GATEWAY_VERIFY = "gateway verify RSA-2048 10KB";
    public static final String GATEWAY_DECRYPT_VERIFY = "gateway decrypt+verify RSA-2048 10KB";
    public static final String HALF_RATE = " @ half max";
    public static final String VIA_SMTP_SOURCE = " via smtp-source";
    /** One message of the gateway's default smtp.maxMessageSize (50 MiB), signed and encrypted with 256 MB of heap. */
    public static final String BIG = "gateway sign+encrypt RSA-2048 50MB -Xmx256m";
    public static final String BIG_HEAP = BIG + " peak heap MB";
    public static final String START_SECONDS = "gateway start with the launcher's start-up cache, launch → ready line, "
            + "median of the run's starts with cache, s";
    public static final String COLD_START_SECONDS = "gateway start without start-up cache (the run's first start, "
            + "which writes the cache), launch → ready line, s";

    private Targets() {
    }

    /** Issue 11's targets. */
    public static List<Target> all() {
        List<RelayRatio> ratios = List.of(
                new RelayRatio("gateway plain / Postfix plain", GATEWAY_PLAIN, POSTFIX_PLAIN, 2.5),
                new RelayRatio("gateway sign+encrypt / Postfix plain", GATEWAY_SIGN_ENCRYPT, POSTFIX_PLAIN, 1.0),
                new RelayRatio("gateway verify / Postfix plain", GATEWAY_VERIFY, POSTFIX_PLAIN, 1.5),
                new RelayRatio("gateway decrypt+verify / Postfix plain", GATEWAY_DECRYPT_VERIFY, POSTFIX_PLAIN, 1.2),
                // both relays driven by Postfix's own load generator instead of the bench's
                new RelayRatio("via smtp-source: gateway plain / Postfix plain", GATEWAY_PLAIN + VIA_SMTP_SOURCE,
                        POSTFIX_PLAIN + VIA_SMTP_SOURCE, 2.5),
                new RelayRatio("via smtp-source: gateway sign+encrypt / Postfix plain",
                        GATEWAY_SIGN_ENCRYPT + VIA_SMTP_SOURCE, POSTFIX_PLAIN + VIA_SMTP_SOURCE, 1.0));
        List<Target> all = new ArrayList<>();
        ratios.forEach(r -> all.add(r.wallClock()));
        all.add(new Target(new Metric("p99 accept latency, sign+encrypt at half of max throughput", " ms",
                r -> r.load(GATEWAY_SIGN_ENCRYPT + HALF_RATE).map(t -> t.accept().p99())), 20, false));
        all.add(new Target(new Metric("p99 accept latency, plain relay at half of max throughput", " ms",
                r -> r.load(GATEWAY_PLAIN + HALF_RATE).map(t -> t.accept().p99())), 20, false));
        all.add(new Target(new Metric("50 MB (the default smtp.maxMessageSize) signed+encrypted with -Xmx256m "
                + "(1 = delivered)", "", r -> r.load(BIG).map(t -> t.delivered() == 1 && t.failed() == 0 ? 1.0 : 0.0)),
                1, true));
        all.add(new Target(new Metric("gateway start with the launcher's start-up cache (launch → ready line)", " s",
                r -> Optional.ofNullable(r.figures().get(START_SECONDS))), 2, false));
        // the same throughput ratios from CPU cost per message (msgs per CPU-second), which a shared, fluctuating
        // machine disturbs much less than msgs per wall-second
        ratios.forEach(r -> all.add(r.cpuNormalised()));
        return all;
    }

    /** Figures shown beside the targets without a bound of their own: the cold start, issue 6's crypto ratios. */
    public static List<Metric> informational() {
        List<Metric> all = new ArrayList<>(List.of(
                new Metric("gateway start without start-up cache (first start of the run, writes the cache)", " s",
                        r -> Optional.ofNullable(r.figures().get(COLD_START_SECONDS))),
                new Metric("50 MB signed+encrypted with -Xmx256m: peak heap", " MB",
                        r -> Optional.ofNullable(r.figures().get(BIG_HEAP)).filter(v -> v >= 0))));
        record Baseline(String row, String ratioName) {
        }
        List<Baseline> crypto = List.of(
                new Baseline("openssl cms", "gateway sign+encrypt / openssl cms, 2 workers (issue 6: ≥ 4×)"),
                new Baseline("raw BC", "gateway sign+encrypt / raw crypto, BC provider, 2 threads (issue 6: ≥ 0.7×)"),
                new Baseline("raw JDK", "gateway sign+encrypt / raw crypto, JDK providers, 2 threads (issue 6: ≥ 0.7×)"));
        for (Baseline b : crypto) {
            all.add(new Metric(b.ratioName(), "×", r -> ratio(rate(r, GATEWAY_SIGN_ENCRYPT), crypto(r, b.row())
                    .map(CryptoResult::perSecond))));
        }
        for (Baseline b : crypto) {
            all.add(new Metric("CPU-normalised: " + b.ratioName(), "×", r -> ratio(crypto(r, b.row())
                    .map(CryptoResult::cpuMillisPerMessage), cpu(r, GATEWAY_SIGN_ENCRYPT))));
        }
        return all;
    }

    /** A throughput target: the gateway row's rate / the Postfix row's rate of the same run, at least {@code bound}. */
    private record RelayRatio(String name, String gateway, String postfix, double bound) {

        Target wallClock() {
            return new Target(new Metric(name, "×", r -> ratio(rate(r, gateway), rate(r, postfix))), bound, true);
        }

        /** Messages per CPU-second instead of per wall-second: Postfix's CPU per message / the gateway's. */
        Target cpuNormalised() {
            return new Target(new Metric("CPU-normalised: " + name, "×", r -> ratio(cpu(r, postfix), cpu(r, gateway))),
                    bound, true);
        }
    }

    /** Delivered messages per wall-clock second of a row that delivered something. */
    private static Optional<Double> rate(SuiteRun r, String name) {
        return r.load(name).filter(t -> t.delivered() > 0).map(ThroughputResult::deliveredPerSecond);
    }

    /** SUT CPU milliseconds per delivered message of a row. */
    private static Optional<Double> cpu(SuiteRun r, String name) {
        return r.load(name).map(ThroughputResult::sutCpuMillisPerMessage).filter(v -> v > 0);
    }

    /** The RSA-2048, 1 recipient, 10 KB result of a crypto baseline. */
    private static Optional<CryptoResult> crypto(SuiteRun r, String name) {
        return r.crypto().stream()
                .filter(c -> c.name().equals(name) && c.keyType().equals("RSA-2048") && c.recipients() == 1
                        && c.messageBytes() < 20_000)
                .findFirst();
    }

    /** a / b when both were measured and positive. */
    private static Optional<Double> ratio(Optional<Double> a, Optional<Double> b) {
        return a.filter(x -> x > 0).flatMap(x -> b.filter(y -> y > 0).map(y -> x / y));
    }
}
