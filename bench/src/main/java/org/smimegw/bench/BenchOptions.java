package org.smimegw.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The suite's settings.
 *
 * @param full          the whole matrix (key types × sizes × recipients × scenarios) instead of the default subset
 * @param repeat        repetitions of the suite (the report gives min–max over them)
 * @param warmup        warm-up per measurement (discarded)
 * @param processWarmup warm-up of each relay process right after it started, before its first measurement
 * @param measure       measured sending time per measurement
 * @param sessions      concurrent SMTP sessions of the main rows
 * @param only          run only measurements whose name matches (null: all)
 * @param outDir        where the report goes
 * @param gatewayJar    the gateway jar (started with {@code java -jar} only when there is no launcher)
 * @param gatewayLauncher {@code bin/smime-gateway}: starts the gateway as users do, with its start-up cache; null:
 *                      {@code java -jar gatewayJar}, without a cache
 * @param workDir       scratch directory (spools, Postfix queue, certificates)
 * @param skipPostfix   no Postfix rows
 * @param skipOpenssl   no openssl rows
 * @param skipGateway   no gateway rows
 * @param gatewayJvmOptions extra JVM options for the gateway (e.g. -XX:StartFlightRecording=...)
 * @param drainTimeout  how long to wait for accepted mail to arrive at the sink
 * @param jfrDir        when set, every gateway process records a JFR profile into this directory
 * @param pipelineSettings extra {@code key: value} lines for the gateway's {@code pipeline:} section
 */
public record BenchOptions(boolean full, int repeat, Duration warmup, Duration processWarmup, Duration measure, int sessions, Pattern only,
                           Path outDir, Path gatewayJar, Path gatewayLauncher, Path workDir, boolean skipPostfix, boolean skipOpenssl,
                           boolean skipGateway, java.util.List<String> gatewayJvmOptions, Duration drainTimeout,
                           Path jfrDir, java.util.List<String> pipelineSettings) {

    public boolean selected(String name) {
        return only == null || only.matcher(name).find();
    }
}
