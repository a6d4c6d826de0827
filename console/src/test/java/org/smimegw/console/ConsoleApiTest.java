package org.smimegw.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.cli.Main;
import org.smimegw.gateway.container.PipelineAttributes;
import org.smimegw.gateway.delivery.DeliveryService;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * Every API endpoint over HTTP against a running gateway: what it answers, and that it refuses a caller who is not
 * logged in (401), has the wrong role (403) or leaves out the CSRF token on a state-changing request (403).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest {
    /** Every endpoint an administrator uses: method, path, body. */
    static final List<String[]> ADMIN_ENDPOINTS = List.of(
            new String[] {"GET", "/api/overview", null},
            new String[] {"GET", "/api/quarantine", null},
            new String[] {"GET", "/api/quarantine/x", null},
            new String[] {"POST", "/api/quarantine/x/release", "{\"reason\":\"r\"}"},
            new String[] {"DELETE", "/api/quarantine/x", "{\"reason\":\"r\"}"},
            new String[] {"GET", "/api/spool", null},
            new String[] {"GET", "/api/spool/x", null},
            new String[] {"POST", "/api/spool/x/requeue", "{\"reason\":\"r\"}"},
            new String[] {"POST", "/api/spool/x/release", "{\"reason\":\"r\"}"},
            new String[] {"POST", "/api/spool/x/bounce", "{\"reason\":\"r\"}"},
            new String[] {"DELETE", "/api/spool/x", "{\"reason\":\"r\"}"},
            new String[] {"GET", "/api/certificates", null},
            new String[] {"GET", "/api/certificates/lookup?address=a@example.com", null},
            new String[] {"POST", "/api/certificates/import", null},
            new String[] {"POST", "/api/certificates/verify", "{\"address\":\"a@example.com\",\"purpose\":\"sign\"}"},
            new String[] {"DELETE", "/api/certificates/0123456789abcdef", null},
            new String[] {"GET", "/api/policy", null},
            new String[] {"POST", "/api/policy/explain", "{\"from\":\"a@example.com\",\"to\":\"b@example.net\"}"},
            new String[] {"POST", "/api/reload", null},
            new String[] {"GET", "/api/config/policy", null},
            new String[] {"POST", "/api/config/policy/validate", "{\"text\":\"\"}"},
            new String[] {"PUT", "/api/config/policy", "{\"text\":\"\"}"},
            new String[] {"GET", "/api/config/pipeline", null},
            new String[] {"POST", "/api/config/pipeline/validate", "{\"text\":\"\"}"},
            new String[] {"PUT", "/api/config/pipeline", "{\"text\":\"\"}"},
            new String[] {"GET", "/api/pipeline", null},
            new String[] {"GET", "/api/audit", null});
    /** Every endpoint of the users' page. */
    static final List<String[]> USER_ENDPOINTS = List.of(
            new String[] {"GET", "/api/me", null},
            new String[] {"GET", "/api/me/certificate", null},
            new String[] {"GET", "/api/me/trust-anchors", null},
            new String[] {"POST", "/api/me/pkcs12", "{\"password\":\"12345678\"}"});

    Path dir;
    ConsoleFixture gateway;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        gateway = new ConsoleFixture(dir, "");
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private ApiClient admin() throws Exception {
        ApiClient client = new ApiClient(gateway.uri());
        client.login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD);
        return client;
    }

    private ApiClient user() throws Exception {
        ApiClient client = new ApiClient(gateway.uri());
        client.login(ConsoleFixture.USER, ConsoleFixture.USER_PASSWORD);
        return client;
    }

    @Test
    void everyEndpointRefusesACallerWhoIsNotLoggedIn() throws Exception {
        ApiClient anonymous = new ApiClient(gateway.uri());
        anonymous.session();
        for (List<String[]> endpoints : List.of(ADMIN_ENDPOINTS, USER_ENDPOINTS)) {
            for (String[] e : endpoints) {
                ApiClient.Reply reply = anonymous.send(e[0], e[1], e[2]);
                assertThat(reply.status()).as("%s %s", e[0], e[1]).isEqualTo(401);
                assertThat(reply.json().get("error").asText()).isEqualTo("not logged in");
            }
        }
        assertThat(anonymous.get("/").status()).as("a page redirects to the login").isEqualTo(302);
    }

    @Test
    void everyStateChangingEndpointRefusesARequestWithoutTheCsrfToken() throws Exception {
        ApiClient admin = admin();
        ApiClient user = user();
        for (var pair : List.of(java.util.Map.entry(admin, ADMIN_ENDPOINTS), java.util.Map.entry(user, USER_ENDPOINTS))) {
            for (String[] e : pair.getValue()) {
                if (e[0].equals("GET")) {
                    continue;
                }
                ApiClient.Reply reply = pair.getKey().send(e[0], e[1], e[2], false);
                assertThat(reply.status()).as("%s %s", e[0], e[1]).isEqualTo(403);
                assertThat(reply.json().get("error").asText()).contains("CSRF");
            }
        }
        ApiClient anonymous = new ApiClient(gateway.uri());
        anonymous.session();
        for (String path : List.of("/api/login", "/api/login/certificate", "/api/logout")) {
            assertThat(anonymous.send("POST", path, "{}", false).status()).as(path).isEqualTo(403);
        }
        // a token of another session does not do either
        ApiClient other = admin();
        other.csrf = admin.csrf.equals(other.csrf) ? "x" : admin.csrf;
        assertThat(other.send("POST", "/api/reload", null).status()).isEqualTo(403);
    }

    @Test
    void eachRoleIsRefusedTheOthersEndpoints() throws Exception {
        ApiClient user = user();
        for (String[] e : ADMIN_ENDPOINTS) {
            assertThat(user.send(e[0], e[1], e[2]).status()).as("user %s %s", e[0], e[1]).isEqualTo(403);
        }
        ApiClient admin = admin();
        for (String[] e : USER_ENDPOINTS) {
            assertThat(admin.send(e[0], e[1], e[2]).status()).as("admin %s %s", e[0], e[1]).isEqualTo(403);
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndAudited() throws Exception {
        ApiClient client = new ApiClient(gateway.uri());
        client.session();
        ApiClient.Reply reply = client.send("POST", "/api/login", "{\"name\":\"admin\",\"password\":\"wrong\"}");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("error").asText()).isEqualTo("wrong name or password");
        assertThat(client.send("POST", "/api/login", "{\"name\":\"nobody\",\"password\":\"x\"}").status())
                .isEqualTo(401);
        JsonNode audit = admin().get("/api/audit?limit=1000").json();
        assertThat(audit.findValues("outcome").stream().map(JsonNode::asText)).contains("refused");
        assertThat(audit.toString()).doesNotContain("wrong\"").doesNotContain(ConsoleFixture.ADMIN_PASSWORD);
    }

    @Test
    void sessionLoginAndLogout() throws Exception {
        ApiClient client = new ApiClient(gateway.uri());
        JsonNode before = client.session();
        assertThat(before.get("authenticated").asBoolean()).isFalse();
        JsonNode in = client.login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD);
        assertThat(in.get("role").asText()).isEqualTo("admin");
        assertThat(in.get("csrfToken").asText()).as("a login gets a new token").isNotEqualTo(before.get("csrfToken").asText());
        assertThat(client.get("/api/overview").status()).isEqualTo(200);
        assertThat(client.send("POST", "/api/logout", null).json().get("authenticated").asBoolean()).isFalse();
        assertThat(client.get("/api/overview").status()).isEqualTo(401);
    }

    @Test
    void quarantineShowReleaseAndDeleteWithAReason() throws Exception {
        String kept = gateway.quarantineOne("to release");
        String dropped = gateway.quarantineOne("to delete");
        ApiClient admin = admin();
        JsonNode list = admin.get("/api/quarantine").json();
        assertThat(list.findValues("id").stream().map(JsonNode::asText)).contains(kept, dropped);
        JsonNode detail = admin.get("/api/quarantine/" + kept).json();
        assertThat(detail.get("mail").get("reason").asText()).contains("not signed");
        assertThat(detail.get("headers").toString()).contains("Subject").contains("to release")
                .doesNotContain("please sign");
        assertThat(admin.get("/api/quarantine/nonexistent").status()).isEqualTo(404);
        assertThat(admin.send("POST", "/api/quarantine/" + kept + "/release", "{}").status())
                .as("no reason").isEqualTo(400);

        ApiClient.Reply released = admin.send("POST", "/api/quarantine/" + kept + "/release",
                "{\"reason\":\"partner confirmed by phone\"}");
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        ApiClient.Reply deleted = admin.send("DELETE", "/api/quarantine/" + dropped, "{\"reason\":\"spam\"}");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        var greenMail = gateway.app.embeddedMailbox().orElseThrow().greenMail();
        ConsoleFixture.await("delivery of the released mail", () -> java.util.Arrays.stream(greenMail.getReceivedMessages())
                .anyMatch(m -> subject(m).equals("to release")));
        assertThat(gateway.quarantined()).extracting(e -> e.id()).doesNotContain(kept, dropped);
        String audit = admin.get("/api/audit").text();
        assertThat(audit).contains("quarantine release").contains("partner confirmed by phone")
                .contains("quarantine delete").contains("spam");
    }

    @Test
    void queueSearchesEveryAreaShowsHeadersOnlyAndRequeuesBouncesAndDeletes() throws Exception {
        Instant now = Instant.now();
        SpoolEntry failed = gateway.store(SpoolArea.ERROR, "err@example.net", "alice@example.com",
                now.minus(Duration.ofDays(2)), Map.of(PipelineAttributes.LAST_ERROR, "directory down"), "failed one");
        SpoolEntry deferred = gateway.store(SpoolArea.OUTGOING, "bob@example.com", "slow@far.example",
                now.minusSeconds(30), Map.of(DeliveryService.ATTR_NEXT_ATTEMPT, now.plus(Duration.ofHours(1)).toString(),
                        DeliveryService.ATTR_LAST_ERROR, "451 4.4.1 try again later", DeliveryService.ATTR_ATTEMPTS,
                        "2"), "deferred one");
        String held = gateway.quarantineOne("held for the queue page");
        ApiClient admin = admin();

        JsonNode all = admin.get("/api/spool").json();
        assertThat(ids(all)).contains(failed.id(), deferred.id(), held);
        JsonNode outgoing = admin.get("/api/spool?area=outgoing").json();
        assertThat(ids(outgoing)).containsExactly(deferred.id());
        assertThat(outgoing.get(0).get("nextAttempt").asText()).isEqualTo(now.plus(Duration.ofHours(1)).toString());
        assertThat(outgoing.get(0).get("lastReply").asText()).isEqualTo("451 4.4.1 try again later");
        assertThat(outgoing.get(0).get("attempts").asInt()).isEqualTo(2);
        assertThat(ids(admin.get("/api/spool?address=FAR.example").json())).containsExactly(deferred.id());
        assertThat(ids(admin.get("/api/spool?olderThan=1d").json())).contains(failed.id())
                .doesNotContain(deferred.id(), held);
        assertThat(ids(admin.get("/api/spool?area=outgoing,quarantine&newerThan=1h").json()))
                .contains(deferred.id(), held).doesNotContain(failed.id());
        assertThat(ids(admin.get("/api/spool?id=" + failed.id().substring(3)).json())).containsExactly(failed.id());
        assertThat(admin.get("/api/spool?area=nowhere").status()).isEqualTo(400);
        assertThat(admin.get("/api/spool?olderThan=soon").json().get("error").asText()).startsWith("not an age");

        JsonNode detail = admin.get("/api/spool/" + failed.id()).json();
        assertThat(detail.get("mail").get("area").asText()).isEqualTo("error");
        assertThat(detail.get("mail").get("reason").asText()).isEqualTo("directory down");
        assertThat(detail.get("headers").toString()).contains("Subject").contains("failed one");
        assertThat(detail.toString()).doesNotContain(ConsoleFixture.SECRET_BODY);
        assertThat(admin.get("/api/spool/nonexistent").status()).isEqualTo(404);
        assertThat(admin.send("POST", "/api/spool/" + deferred.id() + "/release", "{\"reason\":\"r\"}").status())
                .as("only a quarantined mail is released").isEqualTo(404);
        assertThat(admin.send("POST", "/api/spool/" + held + "/release", "{}").status()).as("no reason")
                .isEqualTo(400);

        ApiClient.Reply requeued = admin.send("POST", "/api/spool/" + failed.id() + "/requeue",
                "{\"reason\":\"directory is back\"}");
        assertThat(requeued.status()).as(requeued.toString()).isEqualTo(200);
        var greenMail = gateway.app.embeddedMailbox().orElseThrow().greenMail();
        ConsoleFixture.await("delivery of the requeued mail", () -> java.util.Arrays.stream(
                greenMail.getReceivedMessages()).anyMatch(m -> subject(m).equals("failed one")));

        ApiClient.Reply bounced = admin.send("POST", "/api/spool/" + deferred.id() + "/bounce", null);
        assertThat(bounced.status()).as(bounced.toString()).isEqualTo(200);
        assertThat(bounced.json().get("message").asText()).startsWith("bounced " + deferred.id()
                + ": report queued as " + bounced.json().get("report").asText() + " to <bob@example.com>");
        ApiClient.Reply deleted = admin.send("DELETE", "/api/spool/" + held, "{\"reason\":\"spam\"}");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(ids(admin.get("/api/spool").json())).doesNotContain(deferred.id(), held);

        String audit = admin.get("/api/audit").text();
        assertThat(audit).contains("spool requeue").contains("directory is back").contains("spool bounce")
                .contains("spool delete").contains("spam");
    }

    private static List<String> ids(JsonNode entries) {
        return entries.findValues("id").stream().map(JsonNode::asText).toList();
    }

    @Test
    void certificatesImportListLookupVerifyAndRemove() throws Exception {
        ApiClient admin = admin();
        TestPki.Issued bob = gateway.pki.issue("bob@example.com");
        Path p12 = TestPki.writePkcs12(bob, dir.resolve("bob.p12"), "bob-pass".toCharArray());
        ApiClient.Reply wrong = admin.upload("/api/certificates/import", "bob.p12", Files.readAllBytes(p12),
                "kind", "user", "password", "not it");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").asText()).contains("bob.p12");
        ApiClient.Reply imported = admin.upload("/api/certificates/import", "bob.p12", Files.readAllBytes(p12),
                "kind", "user", "password", "bob-pass");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("format").asText()).isEqualTo("PKCS12");
        assertThat(imported.json().get("keysImported").asInt()).isEqualTo(1);
        assertThat(Files.readString(gateway.app.certificates().orElseThrow().fileStore().directory()
                .resolveSibling("var").resolve("console").resolve("audit.log"), java.nio.charset.StandardCharsets.UTF_8))
                .as("the password is never in the audit log").doesNotContain("bob-pass");
        ApiClient.Reply trust = admin.upload("/api/certificates/import", "chain.p7b",
                TestPki.p7b(List.of(gateway.pki.intermediate().certificate()), List.of()), "kind", "trust");
        assertThat(trust.json().get("format").asText()).isEqualTo("PKCS7");

        JsonNode list = admin.get("/api/certificates").json();
        assertThat(list.get("certificates").findValues("subject").stream().map(JsonNode::asText))
                .anyMatch(s -> s.contains("bob@example.com"));
        JsonNode lookup = admin.get("/api/certificates/lookup?address=bob@example.com").json();
        assertThat(lookup.get("signingKey").get("kind").asText()).isEqualTo("software key");
        JsonNode verdicts = admin.send("POST", "/api/certificates/verify",
                "{\"address\":\"bob@example.com\",\"purpose\":\"sign\"}").json();
        assertThat(verdicts.get(0).get("valid").asBoolean()).as(verdicts.toString()).isTrue();
        assertThat(admin.send("POST", "/api/certificates/verify", "{\"address\":\"none@example.com\",\"purpose\":\"sign\"}")
                .status()).isEqualTo(404);

        String fingerprint = lookup.get("signingKey").get("fingerprint").asText();
        assertThat(admin.send("DELETE", "/api/certificates/nothex", null).status()).isEqualTo(400);
        ApiClient.Reply removed = admin.send("DELETE", "/api/certificates/" + fingerprint, null);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(admin.get("/api/certificates/lookup?address=bob@example.com").json().get("signingKey").isNull())
                .isTrue();
        assertThat(admin.get("/api/audit").text()).contains("certificate import").contains("certificate remove");
    }

    @Test
    void policyExplainGivesTheCommandsTextAndReloadReports() throws Exception {
        ApiClient admin = admin();
        JsonNode policy = admin.get("/api/policy?address=legal@example.com&role=receiving").json();
        assertThat(policy.get("settings").toString()).contains("RequireSignedSMIMEMessages").contains("user");
        String text = admin.send("POST", "/api/policy/explain",
                "{\"from\":\"partner@example.net\",\"to\":\"legal@example.com\"}").json().get("text").asText();
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"policy", "explain", "--from", "partner@example.net", "--to",
                "legal@example.com", "--config", dir.resolve("gateway.yaml").toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        assertThat(text).isEqualTo(out.toString());

        JsonNode reload = admin.send("POST", "/api/reload", null).json();
        assertThat(reload.get("status").asText()).isEqualTo("ok");
        gateway.failReload.set(true);
        try {
            ApiClient.Reply refused = admin.send("POST", "/api/reload", null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).contains("test reloadable refuses");
        } finally {
            gateway.failReload.set(false);
        }
    }

    @Test
    void aConfigurationEditIsValidatedAsAReloadWouldAndRolledBackWhenTheReloadIsRefused() throws Exception {
        ApiClient admin = admin();
        JsonNode pipeline = admin.get("/api/config/pipeline").json();
        String original = pipeline.get("text").asText();
        assertThat(original).contains("EnforceInboundPolicy");
        String broken = original.replace("class=\"RemoteDelivery\"", "class=\"NoSuchMailet\"");
        ApiClient.Reply refused = admin.send("POST", "/api/config/pipeline/validate", body(broken));
        assertThat(refused.status()).isEqualTo(422);
        int line = refused.json().get("line").asInt();
        assertThat(broken.lines().toList().get(line - 1)).contains("NoSuchMailet");
        assertThat(refused.json().get("file").asText()).isEqualTo(dir.resolve("mailetcontainer.xml").toString());
        assertThat(admin.send("PUT", "/api/config/pipeline", body(broken)).status()).isEqualTo(422);
        assertThat(Files.readString(dir.resolve("mailetcontainer.xml"))).isEqualTo(original);

        String edited = original.replace("<harvest>false</harvest>", "<harvest>false</harvest><!-- edited -->");
        assertThat(admin.send("POST", "/api/config/pipeline/validate", body(edited)).status()).isEqualTo(200);
        gateway.failReload.set(true);
        try {
            ApiClient.Reply rolledBack = admin.send("PUT", "/api/config/pipeline", body(edited));
            assertThat(rolledBack.status()).isEqualTo(409);
            assertThat(rolledBack.json().get("error").asText()).contains("previous content");
            assertThat(Files.readString(dir.resolve("mailetcontainer.xml"))).isEqualTo(original);
        } finally {
            gateway.failReload.set(false);
        }
        ApiClient.Reply applied = admin.send("PUT", "/api/config/pipeline", body(edited));
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("mailetcontainer.xml"))).isEqualTo(edited);

        String policy = admin.get("/api/config/policy").json().get("text").asText();
        ApiClient.Reply badPolicy = admin.send("POST", "/api/config/policy/validate",
                body(policy.replace("RequireSignedSMIMEMessages", "RequireSomething")));
        assertThat(badPolicy.status()).isEqualTo(422);
        assertThat(badPolicy.json().get("line").asInt()).isEqualTo(4);
        assertThat(admin.get("/api/config/nothing").status()).isEqualTo(404);
        assertThat(admin.get("/api/audit").text()).contains("edit pipeline").contains("refused");
    }

    @Test
    void pipelineAndOverviewComeFromTheContainerAndTheMetrics() throws Exception {
        gateway.quarantineOne("counted");
        ApiClient admin = admin();
        JsonNode pipeline = admin.get("/api/pipeline").json();
        JsonNode root = pipeline.get("processors").get(0);
        assertThat(root.get("name").asText()).isEqualTo("root");
        JsonNode verify = root.get("mailets").get(0);
        assertThat(verify.get("mailet").asText()).endsWith("SMIMEVerify");
        assertThat(verify.get("parameters").get("harvest").asText()).isEqualTo("false");
        assertThat(verify.get("count").asLong()).isPositive();
        JsonNode overview = admin.get("/api/overview").json();
        assertThat(overview.get("mail").get("accepted").asLong()).isPositive();
        assertThat(overview.get("spool").has("quarantine")).isTrue();
        assertThat(overview.get("verdicts").get("not-signed").asLong()).isPositive();
    }

    @Test
    void aUserSeesAndDownloadsTheirOwnCertificateAndKey() throws Exception {
        ApiClient user = user();
        JsonNode me = user.get("/api/me").json();
        assertThat(me.get("address").asText()).isEqualTo(ConsoleFixture.USER);
        assertThat(me.get("signing").get("subject").asText()).contains(ConsoleFixture.USER);
        assertThat(me.get("pkcs12Download").asBoolean()).isTrue();
        assertThat(user.get("/api/me/certificate").text()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(user.get("/api/me/trust-anchors").text()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(user.send("POST", "/api/me/pkcs12", "{\"password\":\"short\"}").status()).isEqualTo(400);
        ApiClient.Reply p12 = user.send("POST", "/api/me/pkcs12", "{\"password\":\"my chosen password\"}");
        assertThat(p12.contentType()).isEqualTo("application/x-pkcs12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(new ByteArrayInputStream(p12.body()), "my chosen password".toCharArray());
        assertThat(keyStore.isKeyEntry(ConsoleFixture.USER)).isTrue();
        assertThat(admin().get("/api/audit").text()).contains("pkcs12 download");
    }

    private static String body(String text) {
        return ApiClient.JSON.createObjectNode().put("text", text).toString();
    }

    private static String subject(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }
}
