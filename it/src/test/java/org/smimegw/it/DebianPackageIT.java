package org.smimegw.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The Debian package on this machine, as an admin installs it: {@code dpkg -i}, the gateway started the way its
 * systemd unit starts it (no systemd in a container: the unit's ExecStart as its User and Group with
 * NoNewPrivileges, in its WorkingDirectory, with its EnvironmentFile and CacheDirectory, stopped with SIGTERM), a mail relayed to the embedded mailbox of the packaged configuration,
 * then {@code dpkg --purge} and nothing left but the system user Debian keeps.
 * <p>
 * It changes the machine, so it runs only when asked ({@code -Dit.install-deb=true}, as {@code .ci/run} does) and
 * as root with dpkg; otherwise it is reported skipped with the reason.
 */
class DebianPackageIT {
    static final String PACKAGE = "smime-gateway";
    static final Path UNIT = Path.of("/lib/systemd/system/smime-gateway.service");

    @Test
    void installRunRelayAndPurge() throws Exception {
        assumeTrue(Boolean.getBoolean("it.install-deb"), "installs a package on this machine: run with "
                + "-Dit.install-deb=true (as root; .ci/run does)");
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg -i needs root; running as "
                + System.getProperty("user.name"));
        assumeTrue(Commands.run("sh", "-c", "command -v dpkg && command -v setpriv").exit() == 0,
                "dpkg and setpriv are needed (a Debian-based machine)");
        Commands.Result before = Commands.run("dpkg-query", "-W", "-f=${Status}", PACKAGE);
        assumeTrue(before.exit() != 0 || before.output().contains("not-installed"),
                PACKAGE + " is already installed on this machine; not touching it");
        Path deb = ArchiveIT.distFile("smime-gateway_*_all.deb");

        String depends = Commands.run("dpkg-deb", "-f", deb.toString(), "Depends").expectSuccess().output();
        assertThat(depends).contains("java21-runtime-headless");
        boolean userExisted = Commands.run("getent", "passwd", PACKAGE).exit() == 0;
        try {
            install(deb);
            checkInstalledLayout();
            relayAsTheUnitRunsIt();
        } finally {
            Commands.Result purge = dpkg("--purge", PACKAGE);
            assertThat(purge.exit()).as(purge.output()).isZero();
            checkNothingLeft();
            if (!userExisted) {
                Commands.run("deluser", "--system", PACKAGE); // the test's own clean-up; Debian keeps it
            }
        }
    }

    /**
     * {@code dpkg -i}. The package depends on a Debian JRE >= 21 ({@code default-jre-headless (>= 2:1.21) |
     * java21-runtime-headless}); a machine whose Java runtime is not a Debian package (a Temurin tarball under
     * /usr/lib/jvm, as here) cannot satisfy that, and an admin then installs with --force-depends, as docs/install.md
     * says. This test does the same, and says so.
     */
    private static void install(Path deb) throws Exception {
        Commands.Result plain = dpkg("-i", deb.toString());
        if (plain.exit() != 0) {
            assertThat(plain.output()).as("dpkg -i failed for another reason than the Java dependency")
                    .contains("java21-runtime-headless");
            System.out.println("no Debian package provides java21-runtime-headless here; installing with "
                    + "--force-depends (the launcher finds the Java runtime itself)");
            dpkg("-i", "--force-depends", deb.toString()).expectSuccess();
        }
        assertThat(Commands.run("dpkg-query", "-W", "-f=${Status}", PACKAGE).output())
                .isEqualTo("install ok installed");
    }

    /** dpkg, waiting (up to 10 minutes) while another dpkg or apt on this machine holds its lock. */
    private static Commands.Result dpkg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            Commands.Result result = Commands.run(command, null, null);
            if (result.exit() == 0 || !result.output().contains("lock") || System.nanoTime() > deadline) {
                return result;
            }
            Thread.sleep(2000);
        }
    }

    private static void checkInstalledLayout() throws Exception {
        for (String file : List.of("/usr/share/smime-gateway/smime-gateway.jar",
                "/usr/share/smime-gateway/bin/smime-gateway", "/etc/smime-gateway/gateway.yaml",
                "/etc/smime-gateway/mailetcontainer.xml", "/etc/smime-gateway/policy.yaml", "/etc/default/smime-gateway",
                UNIT.toString(), "/usr/share/doc/smime-gateway/copyright", "/usr/share/doc/smime-gateway/THIRD-PARTY.txt")) {
            assertThat(Path.of(file)).as(file).isRegularFile();
        }
        assertThat(Path.of("/usr/bin/smime-gateway").toRealPath())
                .isEqualTo(Path.of("/usr/share/smime-gateway/bin/smime-gateway"));
        assertThat(Path.of("/usr/share/smime-gateway/conf").toRealPath()).isEqualTo(Path.of("/etc/smime-gateway"));
        assertThat(Commands.run("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).output())
                .contains("/etc/smime-gateway/gateway.yaml", "/etc/smime-gateway/policy.yaml",
                        "/etc/smime-gateway/mailetcontainer.xml", "/etc/default/smime-gateway");
        assertThat(Files.readString(Path.of("/etc/smime-gateway/gateway.yaml")))
                .contains("stateDir: /var/lib/smime-gateway").doesNotContain("../var");
        assertThat(Commands.run("getent", "passwd", PACKAGE).output()).contains(":/var/lib/smime-gateway:");
        PosixFileAttributes state = Files.readAttributes(Path.of("/var/lib/smime-gateway"), PosixFileAttributes.class);
        assertThat(state.owner().getName()).isEqualTo(PACKAGE);
        assertThat(PosixFilePermissions.toString(state.permissions())).isEqualTo("rwxr-x---");
        // enabled for the next boot (deb-systemd-helper works without a running systemd)
        assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/smime-gateway.service")).isSymbolicLink();
        // the unit as systemd reads it (syntax, known settings, executables)
        if (Commands.run("sh", "-c", "command -v systemd-analyze").exit() == 0) {
            Commands.Result verify = Commands.run("systemd-analyze", "verify", UNIT.toString());
            assertThat(verify.exit()).as(verify.output()).isZero();
            Commands.run("systemd-analyze", "security", "--offline=true", UNIT.toString());
        }
    }

    /** The unit's [Service] settings (last one wins, as in systemd; ExecStart is single here). */
    private static Map<String, String> serviceSettings() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        boolean service = false;
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.startsWith("[")) {
                service = l.equals("[Service]");
            } else if (service && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                settings.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return settings;
    }

    private void relayAsTheUnitRunsIt() throws Exception {
        // the admin's edit of the conffile: free ports, so that this test runs beside anything else
        Path conf = Path.of("/etc/smime-gateway/gateway.yaml");
        Files.writeString(conf, Files.readString(conf).replaceAll("(?m)^(\\s+(port|smtpPort|imapPort)): \\d+", "$1: 0"));

        Map<String, String> unit = serviceSettings();
        String user = unit.get("User");
        assertThat(user).isEqualTo(PACKAGE);
        Path workingDirectory = Path.of(unit.get("WorkingDirectory"));
        Path cacheDirectory = Path.of("/var/cache", unit.get("CacheDirectory"));
        // what systemd gives the service: a clean environment, the EnvironmentFile, CACHE_DIRECTORY
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", "/var/lib/smime-gateway");
        env.put("USER", user);
        env.put("LOGNAME", user);
        env.put("CACHE_DIRECTORY", cacheDirectory.toString());
        String environmentFile = unit.get("EnvironmentFile").replaceFirst("^-", "");
        for (String line : Files.readAllLines(Path.of(environmentFile))) {
            if (!line.isBlank() && !line.strip().startsWith("#") && line.contains("=")) {
                env.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        // setpriv execs (no supervising process in between, unlike runuser, which SIGKILLs its child 2 s after
        // passing on a SIGTERM): the stop signal reaches the JVM as systemd's would; --no-new-privs is
        // NoNewPrivileges=yes
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + unit.get("Group"),
                "--init-groups", "--no-new-privs", "--", "env", "-i"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of(unit.get("ExecStart").split("\\s+")));

        try (GatewayProcess gateway = GatewayProcess.start(command, workingDirectory, env)) {
            assertThat(gateway.readyLine()).contains("spool /var/lib/smime-gateway/spool");
            Commands.run("/usr/bin/smime-gateway", "send", "--server", "127.0.0.1:" + gateway.smtpPort(),
                    "--from", "bob@example.net", "--to", "alice@example.com", "--subject", "from the package")
                    .expectSuccess();
            assertThat(gateway.awaitMessage("alice@example.com", "from the package", Duration.ofSeconds(60)))
                    .contains("X-SMIME-Gateway: processed");
            System.out.println("package start (no cache yet): " + gateway.readyLine());
            String rest = gateway.stop();
            assertThat(rest).contains("gateway stopped");
            assertThat(gateway.exitValue()).as(rest).isIn(0, 143);
        }
        // everything the service wrote belongs to its user, in its state and cache directories
        for (Path written : List.of(Path.of("/var/lib/smime-gateway/spool"), Path.of("/var/lib/smime-gateway/certstore"),
                Path.of("/var/lib/smime-gateway/smtp-tls"))) {
            assertThat(Files.getOwner(written).getName()).as(written.toString()).isEqualTo(PACKAGE);
        }
        try (var cached = Files.list(cacheDirectory)) {
            assertThat(cached.map(p -> p.getFileName().toString())).as("start-up cache")
                    .anyMatch(n -> n.matches("run-\\d+\\.(aot|jsa)"));
        }
    }

    private static void checkNothingLeft() throws Exception {
        assertThat(Commands.run("dpkg-query", "-W", "-f=${Status}", PACKAGE).output()).doesNotContain("installed ok");
        for (String path : List.of("/usr/share/smime-gateway", "/usr/bin/smime-gateway", "/etc/smime-gateway",
                "/etc/default/smime-gateway", UNIT.toString(), "/var/lib/smime-gateway", "/var/cache/smime-gateway",
                "/usr/share/doc/smime-gateway", "/etc/systemd/system/multi-user.target.wants/smime-gateway.service",
                "/etc/systemd/system/smime-gateway.service")) {
            assertThat(Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(path + " left behind")
                    .isFalse();
        }
        assertThat(Commands.run("grep", "-rl", "smime-gateway", "/var/lib/systemd/deb-systemd-helper-enabled",
                "/var/lib/systemd/deb-systemd-helper-masked").output()).doesNotContain("smime-gateway");
        // kept, as Debian does for system users (files elsewhere may still belong to it)
        assertThat(Commands.run("getent", "passwd", PACKAGE).exit()).isZero();
    }
}
