package org.smimegw.gateway.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;

/**
 * Run by {@link DependencyDietTest} inside a class loader that hides the provided-only mailbox-api jar: loads a
 * container with a broad set of standard mailets and matchers, runs a mail through it, round-trips attribute
 * values through JSON. Returns what happened as lines, so the test can assert on them.
 */
public final class DietScenario {
    private DietScenario() {
    }

    public static List<String> run(Path dir) throws Exception {
        List<String> result = new ArrayList<>();
        try {
            Class.forName("org.apache.james.mailbox.model.MessageIdDto");
            result.add("mailbox-api visible");
        } catch (ClassNotFoundException e) {
            result.add("mailbox-api hidden");
        }
        Map<String, AttributeValue<?>> entries = Map.of("k", AttributeValue.of(Integer.valueOf(42)));
        AttributeValue<?> map = AttributeValue.of(entries);
        result.add("json round trip " + AttributeValue.fromJson(map.toJson().orElseThrow()).equals(map));
        Attribute attribute = new Attribute(AttributeName.of("smime.result"), AttributeValue.of("verified"));
        result.add("duplicate " + attribute.duplicate().equals(attribute));

        ContainerFixture fx = new ContainerFixture(dir);
        MailetContainer container = fx.load("""
                <mailetcontainer>
                  <processors>
                    <processor state="root">
                      <mailet match="All" class="SetMailAttribute"><org.example.flag>on</org.example.flag></mailet>
                      <mailet match="HasMailAttribute=org.example.flag" class="AddSubjectPrefix">
                        <subjectPrefix>[gw]</subjectPrefix>
                      </mailet>
                      <mailet match="SizeGreaterThan=10m" class="Null"/>
                      <mailet match="SubjectStartsWith=[gw]" class="SetMimeHeader"><name>X-Prefixed</name><value>1</value></mailet>
                      <mailet match="RecipientDomainIs=example.org" class="RemoveMimeHeaderByPrefix"><prefix>X-Internal-</prefix></mailet>
                      <mailet match="SenderIsNull" class="Null"/>
                      <mailet match="SMTPAuthSuccessful" class="Null"/>
                      <mailet match="All" class="LogMessage"><headers>true</headers><body>false</body></mailet>
                      <mailet match="All" class="RemoveMailAttribute"><name>org.example.flag</name></mailet>
                      <mailet match="RecipientIsLocal" class="ToProcessor"><processor>local</processor></mailet>
                      <mailet match="RecipientIsRegex=.*@example\\.org" class="org.smimegw.gateway.container.RecordMailet"><tag>out</tag></mailet>
                      <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                    </processor>
                    <processor state="local">
                      <mailet match="All" class="org.smimegw.gateway.container.RecordMailet"><tag>local</tag></mailet>
                      <mailet match="All" class="Null"/>
                    </processor>
                    <processor state="transport"><mailet match="All" class="Null"/></processor>
                    <processor state="error">
                      <mailet match="All" class="org.smimegw.gateway.container.RecordMailet"><tag>error</tag></mailet>
                      <mailet match="All" class="Null"/>
                    </processor>
                  </processors>
                </mailetcontainer>
                """);
        GatewayMail mail = fx.mail(ContainerFixture.message("X-Internal-Route: a"), "alice@example.com",
                "bob@example.org", "carol@example.com");
        container.process(mail);
        container.destroy();
        fx.scratch.close();
        for (Recorder.Seen seen : fx.recorder.all()) {
            result.add(seen.tag() + " " + seen.recipients() + " " + seen.headers().stream()
                    .filter(h -> h.startsWith("Subject") || h.startsWith("X-")).toList());
        }
        result.add("final state " + mail.getState());
        return result;
    }
}
