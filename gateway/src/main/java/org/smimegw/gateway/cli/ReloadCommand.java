package org.smimegw.gateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

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

/** {@code reload}: asks the running gateway (admin endpoint {@code POST /reload}) to re-read its configuration. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Ask the running gateway to reload its configuration (policy, certificate sources).")
public final class ReloadCommand implements Callable<Integer> {

    /** The configuration that names the admin endpoint; only its {@code admin:} section is read. */
    @Mixin
    ConfigFileOption config;

    @Option(names = "--admin", paramLabel = "URL", description = "Admin endpoint, e.g. http://127.0.0.1:8025.")
    URI admin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        URI target = adminUri().resolve("/reload");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException("cannot reach the gateway at " + target + " (" + OneLineErrors.describe(e)
                    + "); is it running?");
        }
        String message = message(response.body());
        if (response.statusCode() != 200) {
            // the gateway refused the new policy.yaml / mailetcontainer.xml / certstore settings: a configuration
            // error, exit 3 as when run or policy check read the same file
            throw new CliException("reload refused: " + message, ExitCodes.CONFIG, null);
        }
        spec.commandLine().getOut().println("reloaded: " + message);
        return ExitCodes.OK;
    }

    private URI adminUri() throws Exception {
        if (admin != null) {
            return admin;
        }
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
