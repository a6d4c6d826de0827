package org.smimegw.certstore.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a private SoftHSM2 token ({@link SoftHsmToken} as a test method/constructor parameter).
 *
 * <p>SoftHSM2 reads its configuration file, named by the environment variable {@code SOFTHSM2_CONF}, once when the
 * module is loaded into the JVM. The certstore pom sets that variable for the forked test JVM to
 * {@code target/softhsm2/softhsm2.conf}; this extension writes that file (token directory
 * {@code target/softhsm2/tokens}, emptied first) and initializes one token with {@code softhsm2-util}, once per JVM,
 * before any test loads the module. All PKCS#11 tests of the JVM share that token and use distinct addresses.
 *
 * <p>Test classes set up their keys in a {@code @BeforeEach} (the extension's check runs first), not in a
 * {@code @BeforeAll}. Without {@code softhsm2-util} or the module the tests are skipped, and say so loudly. (To see that happen on a
 * machine that has SoftHSM2: {@code -Dsofthsm2.util=no-such-program}.)
 */
public final class SoftHsm2Extension implements BeforeEachCallback, ParameterResolver {

    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static final String[] LIBRARY_CANDIDATES = {LIBRARY, "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so"};
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SoftHsm2Extension.class);
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    /** Every test is reported as skipped on its own (a class-level abort would show as "Tests run: 0"). */
    @Override
    public void beforeEach(ExtensionContext context) {
        token(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SoftHsmToken.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return token(context);
    }

    private static SoftHsmToken token(ExtensionContext context) {
        Object result = context.getRoot().getStore(NS).getOrComputeIfAbsent("token", k -> create());
        if (result instanceof String skipReason) {
            skip(skipReason);
        }
        return (SoftHsmToken) result;
    }

    private static void skip(String reason) {
        String message = "SKIPPED: " + reason + " — hardware-token (PKCS#11) tests did not run";
        System.out.println(message);
        System.err.println(message);
        Assumptions.abort(message);
    }

    /** The token, or a String saying why there is none. */
    private static Object create() {
        String library = Stream.of(LIBRARY_CANDIDATES).filter(p -> Files.isRegularFile(Path.of(p))).findFirst()
                .orElse(null);
        String util = System.getProperty("softhsm2.util", "softhsm2-util");
        if (library == null || !onPath(util)) {
            return "softhsm2 not installed (apt-get install softhsm2)";
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            return "SOFTHSM2_CONF is not set for this JVM; run the tests through Maven (the certstore pom sets it)";
        }
        try {
            Path confFile = Path.of(conf).toAbsolutePath();
            Path tokens = confFile.resolveSibling("tokens");
            deleteTree(tokens);
            Files.createDirectories(tokens);
            Files.writeString(confFile, "directories.tokendir = " + tokens + "\n"
                    + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
                    StandardCharsets.UTF_8);
            String label = "gw-" + UUID.randomUUID().toString().substring(0, 8);
            String pin = "1234";
            String output = run(List.of(util, "--init-token", "--free", "--label", label, "--pin", pin,
                    "--so-pin", "5678"), conf);
            Matcher m = SLOT.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("softhsm2-util did not say which slot it used: " + output);
            }
            Path pinFile = confFile.resolveSibling("user.pin");
            Files.writeString(pinFile, pin + "\n", StandardCharsets.UTF_8);
            return new SoftHsmToken(library, Long.parseLong(m.group(1)), label, pinFile, pin);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up the SoftHSM2 token: " + e, e);
        }
    }

    private static String run(List<String> command, String conf) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", conf);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
