package org.smimegw.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.reload.ReloadFixture.PIPELINE_INVALID;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_INVALID;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_ONE_USER;
import static org.smimegw.gateway.reload.ReloadFixture.POLICY_TWO_USERS;
import static org.smimegw.gateway.reload.ReloadFixture.await;
import static org.smimegw.gateway.reload.ReloadFixture.config;
import static org.smimegw.gateway.reload.ReloadFixture.pipeline;
import static org.smimegw.gateway.reload.ReloadFixture.postReload;
import static org.smimegw.gateway.reload.ReloadFixture.send;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.app.GatewayApplication;

/**
 * "Reload with a valid and an invalid file under load loses no message": 200 messages over SMTP from 4 threads
 * while policy.yaml and mailetcontainer.xml are reloaded over and over, valid and invalid in turn; GreenMail gets
 * every message exactly once, each through a complete pipeline.
 */
class ReloadUnderLoadTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 50;

    @TempDir
    Path dir;

    @Test
    void reloadingValidAndInvalidFilesUnderLoadLosesNoMessage() throws Exception {
        try (GatewayApplication app = new GatewayApplication(config(dir, pipeline("0", ""), POLICY_ONE_USER))) {
            app.start();
            GreenMail greenMail = app.embeddedMailbox().orElseThrow().greenMail();
            AtomicBoolean sending = new AtomicBoolean(true);
            ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);
            Future<int[]> reloads = executor.submit(() -> {
                int[] outcomes = new int[2]; // ok, refused
                int round = 0;
                while (sending.get()) {
                    round++;
                    switch (round % 4) {
                        case 0 -> Files.writeString(dir.resolve("policy.yaml"), POLICY_INVALID);
                        case 1 -> {
                            Files.writeString(dir.resolve("policy.yaml"), POLICY_TWO_USERS);
                            Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline(Integer.toString(round), ""));
                        }
                        case 2 -> Files.writeString(dir.resolve("mailetcontainer.xml"), PIPELINE_INVALID);
                        default -> {
                            Files.writeString(dir.resolve("policy.yaml"), POLICY_ONE_USER);
                            Files.writeString(dir.resolve("mailetcontainer.xml"), pipeline(Integer.toString(round), ""));
                        }
                    }
                    HttpResponse<String> response = postReload(app.adminAddress().orElseThrow());
                    outcomes[response.statusCode() == 200 ? 0 : 1]++;
                    Thread.sleep(10);
                }
                return outcomes;
            });
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                senders.add(executor.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        send(app.smtpAddress(), "bob@example.net", "alice@example.com", "load " + thread + "/" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(10, TimeUnit.MINUTES);
            }
            sending.set(false);
            int[] outcomes = reloads.get(5, TimeUnit.MINUTES);
            executor.shutdown();

            int total = THREADS * PER_THREAD;
            await("all " + total + " messages", () -> greenMail.getReceivedMessages().length >= total);
            await("an empty spool", () -> app.health().queues().values().stream().allMatch(n -> n == 0));

            Map<String, Integer> copies = new HashMap<>();
            for (MimeMessage message : greenMail.getReceivedMessages()) {
                copies.merge(message.getSubject(), 1, Integer::sum);
                assertThat(message.getHeader("X-Pipeline-Version")).as("ran through a complete pipeline").isNotNull();
                assertThat(message.getHeader("X-Policy-Users")).isNotNull();
            }
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < PER_THREAD; i++) {
                    assertThat(copies.get("load " + t + "/" + i)).as("copies of load %d/%d", t, i).isEqualTo(1);
                }
            }
            assertThat(copies).hasSize(total);
            assertThat(outcomes[0]).as("successful reloads").isPositive();
            assertThat(outcomes[1]).as("refused reloads").isPositive();
            assertThat(app.metrics().counter("reload.success").getCount()).isEqualTo(outcomes[0]);
            assertThat(app.metrics().counter("reload.failure").getCount()).isEqualTo(outcomes[1]);
            assertThat(app.metrics().counter("pipeline.failed").getCount()).isZero();
        }
    }
}
