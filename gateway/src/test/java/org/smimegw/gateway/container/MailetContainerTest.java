package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailetContainerTest {
    private static final String REC = "org.smimegw.gateway.container.RecordMailet";

    @TempDir
    Path dir;
    ContainerFixture fx;
    MailetContainer container;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ContainerFixture(dir);
    }

    @AfterEach
    void tearDown() {
        if (container != null) {
            container.destroy();
        }
        fx.scratch.close();
    }

    private MailetContainer load(String rootMailets, String extraProcessors) throws Exception {
        container = fx.load("""
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                %s
                    </processor>
                    <processor state="transport">
                      <mailet match="All" class="%s"><tag>transport</tag></mailet>
                      <mailet match="All" class="Null"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="%s"><tag>error</tag></mailet>
                      <mailet match="All" class="Null"/>
                    </processor>
                %s
                  </processors>
                </mailetcontainer>
                """.formatted(rootMailets, REC, REC, extraProcessors));
        return container;
    }

    private static String rec(String match, String tag) {
        return "<mailet match=\"" + match + "\" class=\"" + REC + "\"><tag>" + tag + "</tag></mailet>";
    }

    private static final String TO_TRANSPORT =
            "<mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>";

    @Test
    void matcherSplitsRecipientsAndBothPartsContinue() throws Exception {
        load(rec("RecipientIsLocal", "local") + rec("All", "all") + TO_TRANSPORT, "");
        GatewayMail mail = fx.mail("alice@example.com", "bob@example.com", "carol@example.org",
                "dave@example.com");
        container.process(mail);

        assertThat(fx.recorder.recipientsAt("local")).containsExactly("bob@example.com", "dave@example.com");
        // both the matched mail and the split-off copy reach the next mailet and transport
        assertThat(fx.recorder.byTag("all")).hasSize(2);
        assertThat(fx.recorder.recipientsAt("all"))
                .containsExactly("bob@example.com", "carol@example.org", "dave@example.com");
        assertThat(fx.recorder.recipientsAt("transport"))
                .containsExactly("bob@example.com", "carol@example.org", "dave@example.com");
        assertThat(fx.recorder.byTag("transport")).extracting(Recorder.Seen::mailName)
                .doesNotHaveDuplicates().contains("M1");
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void splitCopyOfAChangedMessageKeepsTheChange() throws Exception {
        load("<mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Stage</name><value>one</value></mailet>"
                + rec("RecipientIsLocal", "local") + rec("All", "all") + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.com", "carol@example.org"));
        assertThat(fx.recorder.byTag("all")).hasSize(2)
                .allSatisfy(seen -> assertThat(seen.headers()).contains("X-Stage: one"));
    }

    @Test
    void standardMailetsByShortAndFullClassName() throws Exception {
        load("<mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Short</name><value>1</value></mailet>"
                + "<mailet match=\"org.apache.james.transport.matchers.All\" "
                + "class=\"org.apache.james.transport.mailets.SetMimeHeader\"><name>X-Full</name><value>2</value>"
                + "</mailet>"
                + "<mailet match=\"HasHeader=X-Remove-Me\" class=\"RemoveMimeHeader\"><name>X-Short</name></mailet>"
                + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        assertThat(fx.recorder.byTag("transport")).singleElement()
                .satisfies(seen -> assertThat(seen.headers()).contains("X-Short: 1", "X-Full: 2"));
    }

    @Test
    void hasHeaderMatcherDecides() throws Exception {
        load("<mailet match=\"HasHeader=X-Remove-Me\" class=\"RemoveMimeHeader\"><name>X-Secret</name></mailet>"
                + TO_TRANSPORT, "");
        container.process(fx.mail(ContainerFixture.message("X-Remove-Me: 1", "X-Secret: s"), "alice@example.com",
                "bob@example.org"));
        container.process(fx.mail(ContainerFixture.message("X-Secret: kept"), "alice@example.com",
                "bob@example.org"));
        assertThat(fx.recorder.byTag("transport")).hasSize(2);
        assertThat(fx.recorder.byTag("transport").get(0).headers()).noneMatch(h -> h.startsWith("X-Secret"));
        assertThat(fx.recorder.byTag("transport").get(1).headers()).contains("X-Secret: kept");
    }

    @Test
    void notmatchInvertsTheMatcher() throws Exception {
        load("<mailet notmatch=\"RecipientIsLocal\" class=\"" + REC + "\"><tag>outside</tag></mailet>"
                + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.com", "carol@example.org"));
        assertThat(fx.recorder.recipientsAt("outside")).containsExactly("carol@example.org");
    }

    @Test
    void compositeMatchersAndOrNotXor() throws Exception {
        container = fx.load("""
                <mailetcontainer>
                  <matchers>
                    <matcher name="local-or-carol" match="Or">
                      <matcher match="RecipientIsLocal"/>
                      <matcher match="RecipientIs=carol@example.org"/>
                    </matcher>
                  </matchers>
                  <processors>
                    <processor state="root">
                      <matcher name="local-and-bob" match="And">
                        <matcher match="RecipientIsLocal"/>
                        <matcher match="RecipientIs=bob@example.com,carol@example.org"/>
                      </matcher>
                      <matcher name="not-local" match="Not">
                        <matcher match="RecipientIsLocal"/>
                      </matcher>
                      <matcher name="xor" match="Xor">
                        <matcher match="RecipientIsLocal"/>
                        <matcher match="RecipientIs=bob@example.com,carol@example.org"/>
                      </matcher>
                      <matcher name="nested" match="And">
                        <matcher match="local-or-carol"/>
                        <matcher match="Not"><matcher match="RecipientIs=dave@example.com"/></matcher>
                      </matcher>
                      <mailet match="local-and-bob" class="%1$s"><tag>and</tag></mailet>
                      <mailet match="local-or-carol" class="%1$s"><tag>or</tag></mailet>
                      <mailet match="not-local" class="%1$s"><tag>not</tag></mailet>
                      <mailet match="xor" class="%1$s"><tag>xor</tag></mailet>
                      <mailet match="nested" class="%1$s"><tag>nested</tag></mailet>
                      <mailet match="All" class="Null"/>
                    </processor>
                    <processor state="error"><mailet match="All" class="Null"/></processor>
                  </processors>
                </mailetcontainer>
                """.formatted(REC));
        container.process(fx.mail("alice@example.com", "bob@example.com", "carol@example.org",
                "dave@example.com", "erin@example.net"));
        assertThat(fx.recorder.recipientsAt("and")).containsExactly("bob@example.com");
        assertThat(fx.recorder.recipientsAt("or"))
                .containsExactly("bob@example.com", "carol@example.org", "dave@example.com");
        assertThat(fx.recorder.recipientsAt("not")).containsExactly("carol@example.org", "erin@example.net");
        assertThat(fx.recorder.recipientsAt("xor")).containsExactly("carol@example.org", "dave@example.com");
        assertThat(fx.recorder.recipientsAt("nested")).containsExactly("bob@example.com", "carol@example.org");
    }

    @Test
    void senderIsMatcherAndToProcessorToACustomProcessor() throws Exception {
        load("<mailet match=\"SenderIs=alice@example.com\" class=\"ToProcessor\"><processor>signing</processor>"
                + "</mailet>" + rec("All", "root-end") + TO_TRANSPORT,
                "<processor state=\"signing\">" + rec("All", "signing") + TO_TRANSPORT + "</processor>");
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        container.process(fx.mail("zoe@example.com", "bob@example.org"));
        assertThat(fx.recorder.byTag("signing")).singleElement()
                .satisfies(seen -> assertThat(seen.state()).isEqualTo("signing"));
        assertThat(fx.recorder.byTag("root-end")).hasSize(1);
        assertThat(fx.recorder.byTag("transport")).hasSize(2);
    }

    @Test
    void mailetExceptionRoutesToErrorProcessorWithTheErrorRecorded() throws Exception {
        load("<mailet match=\"All\" class=\"org.smimegw.gateway.container.FailingMailet\"/>"
                + rec("All", "after") + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        assertThat(fx.recorder.byTag("after")).isEmpty();
        assertThat(fx.recorder.byTag("error")).singleElement()
                .satisfies(seen -> assertThat(seen.state()).isEqualTo("error"));
        assertThat(fx.metrics.counter("mailet.root.FailingMailet.exceptions").getCount()).isEqualTo(1);
    }

    @Test
    void onMailetExceptionIgnoreContinuesAndNamedProcessorIsUsed() throws Exception {
        load("<mailet match=\"All\" class=\"org.smimegw.gateway.container.FailingMailet\" "
                + "onMailetException=\"ignore\"/>"
                + "<mailet match=\"HasHeader=X-Fail\" class=\"org.smimegw.gateway.container.FailingMailet\" "
                + "onMailetException=\"held\"/>" + rec("All", "after") + TO_TRANSPORT,
                "<processor state=\"held\">" + rec("All", "held") + "<mailet match=\"All\" class=\"Null\"/>"
                        + "</processor>");
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        GatewayMail failing = fx.mail(ContainerFixture.message("X-Fail: 1"), "alice@example.com", "bob@example.org");
        container.process(failing);
        assertThat(fx.recorder.byTag("after")).hasSize(1);
        assertThat(fx.recorder.byTag("held")).hasSize(1);
        assertThat(failing.getErrorMessage()).contains("FailingMailet").contains("deliberate failure");
        assertThat(failing.getAttribute(Mail.MAILET_ERROR)).isPresent();
    }

    @Test
    void onMailetExceptionPropagateAbortsTheRun() throws Exception {
        load("<mailet match=\"All\" class=\"org.smimegw.gateway.container.FailingMailet\" "
                + "onMailetException=\"propagate\"/>" + TO_TRANSPORT, "");
        assertThatThrownBy(() -> container.process(fx.mail("alice@example.com", "bob@example.org")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("deliberate failure");
    }

    /** A message whose only part has a Content-Type that does not parse; Jakarta Mail would quote it. */
    private static MimeMessage unparseablePart(String quoted) throws Exception {
        return new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(("From: a@example.com\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: " + quoted
                        + "; x=1\r\n\r\nbody\r\n--b--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void aParserErrorIsRecordedWithoutTheMessageTextItQuotes() throws Exception {
        String secret = "Sekrit" + System.nanoTime();
        String setHeader = "<mailet match=\"All\" class=\"SetMimeHeader\"%s><name>X-Seen</name><value>yes</value>"
                + "</mailet>";
        load(setHeader.formatted("") + TO_TRANSPORT, "");
        GatewayMail toError = fx.mail(unparseablePart(secret), "alice@example.com", "bob@example.org");
        container.process(toError);
        assertThat(fx.recorder.byTag("error")).hasSize(1);
        assertThat(toError.getErrorMessage()).contains("SetMimeHeader").contains("jakarta.mail.internet.ParseException")
                .contains("does not parse").doesNotContain(secret);
        assertThat(toError.getAttribute(Mail.MAILET_ERROR).orElseThrow().getValue().value().toString())
                .doesNotContain(secret);
        container.destroy();

        load(setHeader.formatted(" onMailetException=\"propagate\"") + TO_TRANSPORT, "");
        assertThatThrownBy(() -> container.process(fx.mail(unparseablePart(secret), "a@example.com", "b@example.org")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("ParseException")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                    }
                });
    }

    @Test
    void onMatchExceptionPolicies() throws Exception {
        String failing = "org.smimegw.gateway.container.FailingMatcher";
        load("<mailet match=\"" + failing + "\" class=\"" + REC + "\" onMatchException=\"nomatch\"><tag>nomatch</tag>"
                + "</mailet>"
                + "<mailet match=\"" + failing + "\" class=\"" + REC + "\" onMatchException=\"matchall\"><tag>matchall"
                + "</tag></mailet>"
                + "<mailet match=\"" + failing + "\" class=\"" + REC + "\"><tag>never</tag></mailet>"
                + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        assertThat(fx.recorder.byTag("nomatch")).isEmpty();
        assertThat(fx.recorder.byTag("matchall")).hasSize(1);
        assertThat(fx.recorder.byTag("never")).isEmpty();
        assertThat(fx.recorder.byTag("error")).hasSize(1);
        // one counter per processor and matcher class (not per position): the three failing matches add up
        assertThat(fx.metrics.counter("matcher.root.FailingMatcher.exceptions").getCount()).isEqualTo(3);
    }

    @Test
    void ghostStopsProcessingAndTheEndOfAProcessorIsGhost() throws Exception {
        load("<mailet match=\"HasHeader=X-Drop\" class=\"Null\"/>" + rec("All", "after"), "");
        GatewayMail dropped = fx.mail(ContainerFixture.message("X-Drop: 1"), "alice@example.com", "bob@example.org");
        container.process(dropped);
        assertThat(dropped.getState()).isEqualTo(Mail.GHOST);
        assertThat(fx.recorder.byTag("after")).isEmpty();

        GatewayMail falling = fx.mail("alice@example.com", "bob@example.org");
        container.process(falling);
        assertThat(fx.recorder.byTag("after")).hasSize(1);
        assertThat(falling.getState()).isEqualTo(Mail.GHOST);
        assertThat(fx.recorder.byTag("transport")).isEmpty();
    }

    @Test
    void mailStartsInTheProcessorNamedByItsState() throws Exception {
        load(rec("All", "root") + TO_TRANSPORT, "");
        GatewayMail mail = fx.mail("alice@example.com", "bob@example.org");
        mail.setState("transport");
        container.process(mail);
        assertThat(fx.recorder.byTag("root")).isEmpty();
        assertThat(fx.recorder.byTag("transport")).hasSize(1);
    }

    @Test
    void unknownStateGoesToTheErrorProcessor() throws Exception {
        load(TO_TRANSPORT, "");
        GatewayMail mail = fx.mail("alice@example.com", "bob@example.org");
        mail.setState("vanished");
        container.process(mail);
        assertThat(fx.recorder.byTag("error")).hasSize(1);
        assertThat(mail.getErrorMessage()).contains("vanished");
    }

    @Test
    void routingLoopIsDetected() throws Exception {
        load("<mailet match=\"All\" class=\"ToProcessor\"><processor>ping</processor></mailet>",
                "<processor state=\"ping\"><mailet match=\"All\" class=\"ToProcessor\"><processor>root</processor>"
                        + "</mailet></processor>");
        assertThatThrownBy(() -> container.process(fx.mail("alice@example.com", "bob@example.org")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("loop");
    }

    @Test
    void timersCountEveryMailetAndProcessorRun() throws Exception {
        load(rec("All", "a") + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        container.process(fx.mail("alice@example.com", "bob@example.org"));
        assertThat(fx.metrics.timer("mailet.root.RecordMailet").getCount()).isEqualTo(2);
        assertThat(fx.metrics.timer("processor.root").getCount()).isEqualTo(2);
        assertThat(fx.metrics.timer("processor.transport").getCount()).isEqualTo(2);
        assertThat(fx.metrics.timer("mailet.transport.Null").getCount()).isEqualTo(2);
    }

    @Test
    void injectConstructorGetsTheMetricRegistry() throws Exception {
        load("<mailet match=\"RecipientIsLocal\" class=\"org.smimegw.gateway.container.MeteredMailet\"/>"
                + TO_TRANSPORT, "");
        container.process(fx.mail("alice@example.com", "bob@example.com", "carol@example.org", "dan@example.com"));
        assertThat(fx.metrics.counter("test.metered.seen").getCount()).isEqualTo(2);
    }

    @Test
    void destroyReachesEveryMailet() throws Exception {
        DestroyCountingMailet.Counter counter = new DestroyCountingMailet.Counter();
        MailetContainerLoader loader = new MailetContainerLoader(fx.context,
                ServiceRegistry.empty().with(Recorder.class, fx.recorder)
                        .with(DestroyCountingMailet.Counter.class, counter), fx.metrics);
        MailetContainer loaded = loader.load(fx.write(MailetContainerLoaderTest.base(
                "<mailet match=\"All\" class=\"org.smimegw.gateway.container.DestroyCountingMailet\"/>"
                        + "<mailet match=\"All\" class=\"org.smimegw.gateway.container.DestroyCountingMailet\"/>")));
        loaded.destroy();
        assertThat(counter.destroyed.get()).isEqualTo(2);
    }
}
