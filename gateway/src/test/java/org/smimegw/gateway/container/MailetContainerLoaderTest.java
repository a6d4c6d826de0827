package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.mailets.config.ConfigFileException;

class MailetContainerLoaderTest {
    private static final String T = "org.smimegw.gateway.container.";

    @TempDir
    Path dir;
    ContainerFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ContainerFixture(dir);
    }

    private ConfigFileException refused(String xml) throws Exception {
        Path file = fx.write(xml);
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> fx.loader.load(file));
        assertThat(e).as("load must be refused").isNotNull();
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.getMessage()).startsWith(file + ":");
        return e;
    }

    @Test
    void goodFileLoadsAllProcessorsWithTheirMailets() throws Exception {
        String xml = """
                <?xml version="1.0"?>
                <mailetcontainer enableJmx="true">
                  <context><postmaster>postmaster@example.com</postmaster></context>
                  <matchers>
                    <matcher name="internal-or-tagged" match="Or">
                      <matcher match="RecipientIsLocal"/>
                      <matcher match="HasHeader=X-Tag"/>
                    </matcher>
                  </matchers>
                  <processors>
                    <processor state="root" enableJmx="true">
                      <matcher name="not-from-alice" match="org.apache.james.mailetcontainer.impl.matchers.Not">
                        <matcher match="SenderIs=alice@example.com"/>
                      </matcher>
                      <mailet match="All" class="SetMimeHeader"><name>X-Seen</name><value>yes</value></mailet>
                      <mailet match="internal-or-tagged" class="%sRecordMailet"><tag>a</tag></mailet>
                      <mailet notmatch="not-from-alice" class="ToProcessor"><processor>special</processor></mailet>
                      <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                    </processor>
                    <processor state="special">
                      <mailet match="All" class="org.apache.james.transport.mailets.Null"/>
                    </processor>
                    <processor state="transport">
                      <mailet match="All" class="Null"/>
                    </processor>
                    <processor state="error">
                      <mailet match="All" class="Null"/>
                    </processor>
                  </processors>
                </mailetcontainer>
                """.formatted(T);
        MailetContainer container = fx.load(xml);
        assertThat(container.processorNames()).containsExactlyInAnyOrder("root", "special", "transport", "error");
        assertThat(container.mailetCount("root")).isEqualTo(4);
        assertThat(container.mailetCount("special")).isEqualTo(1);
        assertThat(fx.metrics.getTimers()).containsKeys("processor.root", "processor.transport",
                "mailet.root.SetMimeHeader", "mailet.root.RecordMailet", "mailet.root.ToProcessor",
                "mailet.special.Null");
        assertThat(fx.metrics.getCounters()).containsKeys("mailet.root.SetMimeHeader.exceptions",
                "matcher.root.All.exceptions");
        container.destroy();
    }

    @Test
    void xmlThatDoesNotParseIsRefusedWithItsLine() throws Exception {
        String xml = """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="Null">
                    </processor>
                  </processors>
                </mailetcontainer>
                """;
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "</processor>"));
        assertThat(e.reason()).startsWith("not well-formed XML");
    }

    @Test
    void unknownClassIsRefused() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"NoSuchMailet\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("unknown mailet class 'NoSuchMailet'")
                .contains("org.apache.james.transport.mailets");
    }

    @Test
    void unknownMatcherIsRefused() throws Exception {
        String xml = base("<mailet match=\"NoSuchMatcher=x\" class=\"Null\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("unknown matcher class 'NoSuchMatcher'");
    }

    @Test
    void classThatIsNotAMailetIsRefused() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"" + T + "NotAMailet\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains(T + "NotAMailet is not a org.apache.mailet.Mailet");
    }

    @Test
    void matcherClassUsedAsMailetIsRefused() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"HasHeader\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.reason()).contains("HasHeader is not a org.apache.mailet.Mailet");
    }

    @Test
    void mailetClassUsedAsMatcherIsRefused() throws Exception {
        String xml = base("<mailet match=\"org.apache.james.transport.mailets.Null\" class=\"Null\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("org.apache.james.transport.mailets.Null is not a org.apache.mailet.Matcher");
    }

    @Test
    void initThatThrowsIsRefusedWithItsMessage() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"" + T + "InitFailingMailet\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("init of mailet " + T + "InitFailingMailet failed")
                .contains("key file /nonexistent/key.pem not found");
    }

    @Test
    void matcherInitThatThrowsIsRefused() throws Exception {
        // HasHeader without a condition fails its init
        String xml = base("<mailet match=\"HasHeader\" class=\"Null\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("init of matcher org.apache.james.transport.matchers.HasHeader");
    }

    @Test
    void unknownInitParameterIsRefusedWhereTheMailetDeclaresItsParameters() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"" + T + "RecordMailet\"> <!-- here -->\n"
                + "<tag>x</tag><colour>red</colour></mailet>");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("unknown parameter(s) [colour]").contains("allowed: [tag]");
    }

    @Test
    void toProcessorToAMissingProcessorIsRefused() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"ToProcessor\"> <!-- here -->\n"
                + "<processor>nowhere</processor></mailet>");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("routes to processor 'nowhere', which is not defined");
    }

    @Test
    void onMailetExceptionToAMissingProcessorIsRefused() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"Null\" onMailetException=\"quarantine\"/> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("onMailetException").contains("'quarantine'");
    }

    @Test
    void defaultErrorRoutingNeedsAnErrorProcessor() throws Exception {
        String xml = """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="Null"/>
                    </processor>
                  </processors>
                </mailetcontainer>
                """;
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "class=\"Null\""));
        assertThat(e.reason()).contains("routes to processor 'error'");
    }

    @Test
    void missingRootProcessorIsRefused() throws Exception {
        String xml = """
                <mailetcontainer>
                  <processors>
                    <processor state="transport">
                      <mailet match="All" class="Null" onMailetException="ignore"/>
                    </processor>
                  </processors>
                </mailetcontainer>
                """;
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "<processors>"));
        assertThat(e.reason()).contains("no processor with state=\"root\"");
    }

    @Test
    void missingServiceForInjectConstructorIsRefused() throws Exception {
        MailetContainerLoader withoutRecorder = new MailetContainerLoader(fx.context, ServiceRegistry.empty(),
                fx.metrics);
        String xml = base("<mailet match=\"All\" class=\"" + T + "RecordMailet\"/> <!-- here -->");
        Path file = fx.write(xml);
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> withoutRecorder.load(file));
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("needs a " + T + "Recorder");
    }

    @Test
    void unknownAttributeAndBothMatchAndNotmatchAreRefused() throws Exception {
        ConfigFileException e = refused(base("<mailet match=\"All\" clas=\"Null\"/>"));
        assertThat(e.reason()).contains("unknown attribute 'clas'");
        e = refused(base("<mailet match=\"All\" notmatch=\"All\" class=\"Null\"/>"));
        assertThat(e.reason()).contains("both match and notmatch");
    }

    @Test
    void unknownCompositeReferenceAndBadCompositeOperatorAreRefused() throws Exception {
        String xml = base("<matcher name=\"x\" match=\"Maybe\"><matcher match=\"All\"/></matcher> <!-- here -->");
        ConfigFileException e = refused(xml);
        assertThat(e.line()).hasValue(ContainerFixture.lineOf(xml, "here"));
        assertThat(e.reason()).contains("must be one of And, Or, Not, Xor");
    }

    @Test
    void missingFileIsRefused() {
        Path file = dir.resolve("absent.xml");
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> fx.loader.load(file));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.reason()).isEqualTo("file not found");
        assertThat(e.line()).isEmpty();
        assertThat(e.getMessage()).isEqualTo(file + ": file not found");
    }

    @Test
    void failedLoadDestroysWhatItAlreadyInitialised() throws Exception {
        String xml = base("<mailet match=\"All\" class=\"" + T + "DestroyCountingMailet\"/>\n"
                + "<mailet match=\"All\" class=\"NoSuchMailet\"/>");
        DestroyCountingMailet.Counter counter = new DestroyCountingMailet.Counter();
        MailetContainerLoader loader = new MailetContainerLoader(fx.context,
                ServiceRegistry.empty().with(DestroyCountingMailet.Counter.class, counter), fx.metrics);
        Path file = fx.write(xml);
        catchThrowableOfType(ConfigFileException.class, () -> loader.load(file));
        assertThat(counter.destroyed.get()).isEqualTo(1);
    }

    /** A config with root (containing {@code mailets}), transport and error processors. */
    static String base(String mailets) {
        return """
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                %s
                    </processor>
                    <processor state="transport"><mailet match="All" class="Null"/></processor>
                    <processor state="error"><mailet match="All" class="Null"/></processor>
                  </processors>
                </mailetcontainer>
                """.formatted(mailets);
    }

    @Test
    void anXmlErrorQuotingLinesOfTheFileIsStillOneLine() throws Exception {
        // the XML parser quotes the bad version text, line breaks included
        ConfigFileException e = refused("<?xml version=\"1.0x\n  <processors>\n\"?>\n<mailetcontainer/>\n");
        assertThat(e.getMessage()).contains("not well-formed XML").doesNotContain("\n", "\r");
    }
}
