package org.smimegw.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.bench.baseline.OpensslBaseline;
import org.smimegw.bench.pki.BenchPki;
import org.smimegw.bench.report.Report;
import org.smimegw.bench.report.SuiteRun;
import org.smimegw.bench.sut.MachineCpu;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run.sh}: runs the suite and writes bench/results/TIMESTAMP.md and .json. */
@Command(name = "bench/run.sh", mixinStandardHelpOptions = true,
        description = "Runs the benchmark suite (default: short, <= 5 min on 2 cores) and writes a Markdown and a "
                + "JSON report. 'bench/run.sh jmh [JMH options]' runs the JMH micro-benchmarks instead.")
public final class BenchMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);

    @Option(names = "--full", description = "the whole matrix: keys RSA-2048/RSA-3072/EC-P256, sizes 10KB/100KB/1MB/25MB, "
            + "1 and 10 recipients, every scenario (takes much longer)")
    boolean full;

    @Option(names = "--repeat", defaultValue = "1", description = "repetitions; the report shows min–max (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per measurement (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "8", description = "warm-up seconds per measurement (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--process-warmup", defaultValue = "20", description = "warm-up seconds of each relay process "
            + "(gateway, Postfix) right after it started, before its first measurement, unpaced and without a "
            + "message limit, so that the gateway's JIT compiler is done (default ${DEFAULT-VALUE}; 0: none)")
    double processWarmup;

    @Option(names = "--sessions", defaultValue = "20", description = "concurrent SMTP sessions (default ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--only", description = "run only measurements whose name matches this regular expression")
    String only;

    @Option(names = "--out", defaultValue = "bench/results", description = "report directory (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--gateway-jar", defaultValue = "app/target/smime-gateway.jar", description = "the gateway jar, "
            + "started with java -jar when --gateway-launcher is none (default ${DEFAULT-VALUE})")
    Path gatewayJar;

    @Option(names = "--gateway-launcher", defaultValue = "bin/smime-gateway", description = "start every gateway with "
            + "this launcher's 'run', as users do (it runs its own installation's jar and gives the JVM its start-up "
            + "cache, one fresh cache directory per run); 'none': java -jar --gateway-jar, no cache "
            + "(default ${DEFAULT-VALUE})")
    String gatewayLauncher;

    @Option(names = "--work", description = "scratch directory (default: a new temp directory, deleted afterwards)")
    Path work;

    @Option(names = "--skip-postfix", description = "no Postfix baseline")
    boolean skipPostfix;

    @Option(names = "--skip-openssl", description = "no openssl baseline")
    boolean skipOpenssl;

    @Option(names = "--skip-gateway", description = "no gateway scenarios (baselines only)")
    boolean skipGateway;

    @Option(names = "--gateway-jvm-option", description = "extra JVM option for the gateway, repeatable "
            + "(e.g. -XX:StartFlightRecording=filename=gw.jfr)")
    List<String> gatewayJvmOptions = new ArrayList<>();

    @Option(names = "--pipeline-setting", paramLabel = "KEY=VALUE", description = "extra setting of the gateway's "
            + "pipeline: section, repeatable (e.g. inFlowDelayMillis=0, workers=8)")
    List<String> pipelineSettings = new ArrayList<>();

    @Option(names = "--drain-timeout", defaultValue = "60", description = "seconds to wait for accepted mail at the sink (default ${DEFAULT-VALUE})")
    int drainTimeout;

    @Option(names = "--jfr", description = "record a JFR profile (settings=profile) of every gateway process into this "
            + "directory, one file per gateway start; read with: jfr print --events jdk.ExecutionSample FILE")
    Path jfr;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean tempWork = work == null;
        Path workDir = tempWork ? Files.createTempDirectory("smimegw-bench") : Files.createDirectories(work);
        BenchOptions options = new BenchOptions(full, repeat, Duration.ofMillis((long) (warmup * 1000)),
                Duration.ofMillis((long) (processWarmup * 1000)),
                Duration.ofMillis((long) (seconds * 1000)), sessions, only == null ? null : Pattern.compile(only),
                out, gatewayJar, "none".equals(gatewayLauncher) ? null : Path.of(gatewayLauncher), workDir,
                skipPostfix, skipOpenssl, skipGateway, List.copyOf(gatewayJvmOptions),
                Duration.ofSeconds(drainTimeout), jfr == null ? null : jfr.toAbsolutePath(),
                List.copyOf(pipelineSettings));
        long t0 = System.nanoTime();
        Map<String, Object> env = environment(options);
        BenchPki pki = new BenchPki();
        Suite suite = new Suite(options, pki, new GatewayScenarios(options, pki));
        List<SuiteRun> runs = new ArrayList<>();
        try {
            for (int i = 1; i <= repeat; i++) {
                LOG.info("=== run {} of {}", i, repeat);
                runs.add(suite.run(i));
            }
        } finally {
            if (tempWork) {
                Suite.deleteTree(workDir);
            }
        }
        env.put("suite duration", String.format("%.0f s", (System.nanoTime() - t0) / 1e9));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path md = out.resolve(stamp + ".md");
        Path json = out.resolve(stamp + ".json");
        Report report = new Report(env, runs, Targets.HEADING, Targets.all(), Targets.informational());
        report.write(md, json);
        System.out.println(report.markdown());
        LOG.info("report written: {} and {}", md.toAbsolutePath(), json.toAbsolutePath());
        return 0;
    }

    private static Map<String, Object> environment(BenchOptions o) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", LocalDateTime.now().toString());
        env.put("commit", System.getenv().getOrDefault("BENCH_GIT_COMMIT", "unknown"));
        env.put("cpus", MachineCpu.cpus());
        env.put("load average at start", MachineCpu.loadAverage());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("openssl", OpensslBaseline.version());
        env.put("mode", o.full() ? "full matrix" : "default suite");
        env.put("warm-up / measured seconds", o.warmup().toMillis() / 1000.0 + " / " + o.measure().toMillis() / 1000.0);
        env.put("process warm-up seconds", o.processWarmup().toMillis() / 1000.0);
        env.put("sessions", o.sessions());
        env.put("gateway started with", o.gatewayLauncher() == null
                ? "java -jar " + o.gatewayJar() + " (no start-up cache)"
                : o.gatewayLauncher() + " run (the launcher's start-up cache, a new one per run)");
        env.put("repetitions", o.repeat());
        return env;
    }
}
