package org.smimegw.gateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.smimegw.gateway.config.AdminConfig;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * {@code reload}: asks the running gateway (admin endpoint {@code POST /reload}) to re-read its configuration; with
 * several {@code --admin} endpoints, every node of a cluster at once, reporting each node's result.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Ask the running gateway, or every node named with --admin, to reload its configuration "
                + "(policy, certificate sources).")
public final class ReloadCommand implements Callable<Integer> {

    /** The configuration that names the admin endpoint; only its {@code admin:} section is read. */
    @Mixin
    ConfigFileOption config;

    @Option(names = "--admin", paramLabel = "URL", split = ",",
            description = "Admin endpoint, e.g. http://127.0.0.1:8025; repeat it (or separate with commas) to reload "
                    + "several nodes, each reported on its own line.")
    List<URI> admins = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        if (admins.size() <= 1) {
            NodeResult result = reload(client, admins.isEmpty() ? adminUri() : admins.get(0)).join();
            if (!result.ok()) {
                throw new CliException(result.message(), result.exitCode(), null);
            }
            spec.commandLine().getOut().println(result.message());
            return ExitCodes.OK;
        }
        // every node at once, so that the cluster runs the old and the new configuration side by side only briefly
        List<CompletableFuture<NodeResult>> pending = admins.stream().map(a -> reload(client, a)).toList();
        List<NodeResult> failures = new ArrayList<>();
        for (int i = 0; i < admins.size(); i++) {
            NodeResult result = pending.get(i).join();
            if (result.ok()) {
                spec.commandLine().getOut().println(admins.get(i) + ": " + result.message());
            } else {
                failures.add(result);
                spec.commandLine().getErr().println("reload: " + admins.get(i) + ": " + result.message());
            }
        }
        if (!failures.isEmpty()) {
            // a node that refused the configuration makes it a configuration error (3), as for one node
            int exitCode = failures.stream().anyMatch(f -> f.exitCode() == ExitCodes.CONFIG) ? ExitCodes.CONFIG
                    : ExitCodes.FAILURE;
            throw new CliException(failures.size() + " of " + admins.size() + " nodes did not reload", exitCode, null);
        }
        return ExitCodes.OK;
    }

    /** One node's answer: {@code reloaded: <summary>}, or why not and the exit code that failure has alone. */
    private record NodeResult(boolean ok, String message, int exitCode) {
    }

    private static CompletableFuture<NodeResult> reload(HttpClient client, URI admin) {
        URI target = admin.resolve("/reload");
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                // refused: the new policy.yaml / mailetcontainer.xml / certstore settings are wrong, a configuration
                // error (exit 3) as when run or policy check read the same file
                .thenApply(response -> response.statusCode() == 200
                        ? new NodeResult(true, "reloaded: " + message(response.body()), ExitCodes.OK)
                        : new NodeResult(false, "reload refused: " + message(response.body()), ExitCodes.CONFIG))
                .exceptionally(e -> new NodeResult(false, "cannot reach the gateway at " + target + " ("
                        + OneLineErrors.describe(e instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : e) + "); is it running?", ExitCodes.FAILURE));
    }

    private URI adminUri() throws Exception {
        java.util.Optional<Path> named = config.file();
        if (named.isEmpty()) {
            return URI.create("http://" + AdminConfig.DEFAULT_BIND + ":" + AdminConfig.DEFAULT_PORT);
        }
        Path file = named.get();
        AdminConfig adminConfig = adminSection(file);
        if (!adminConfig.enabled()) {
            throw new CliException("the admin endpoint is disabled in " + file + " (admin.enabled: false)");
        }
        String host = adminConfig.bind().equals("0.0.0.0") || adminConfig.bind().equals("::")
                ? "127.0.0.1" : adminConfig.bind();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + adminConfig.port());
    }

    /** Only the {@code admin:} section matters here; the rest of the file is the running gateway's business. */
    private static AdminConfig adminSection(Path file) throws Exception {
        if (!Files.isReadable(file)) {
            throw new ConfigFileException(file.toString(), "file not found");
        }
        ObjectMapper yaml = ConfigLoader.mapper(file);
        JsonNode root;
        try {
            root = yaml.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), "cannot read: " + OneLineErrors.describe(e), e);
        }
        JsonNode admin = root == null ? null : root.get("admin");
        if (admin == null || admin.isNull()) {
            return AdminConfig.defaults();
        }
        try {
            return yaml.treeToValue(admin, AdminConfig.class);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), "admin: " + OneLineErrors.describe(e), e);
        }
    }

    private static String message(String body) {
        try {
            JsonNode json = new ObjectMapper().readTree(body);
            if (json != null && json.hasNonNull("message")) {
                return json.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: show it as it is
        }
        return body.strip();
    }
}
