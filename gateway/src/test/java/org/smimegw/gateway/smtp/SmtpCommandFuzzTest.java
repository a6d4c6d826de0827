package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.mailet.DsnParameters;
import org.junit.jupiter.api.Timeout;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.EnvelopeParameters;

/**
 * Fuzz target: the argument of MAIL FROM: / RCPT TO: as the commands read it ({@link MailPath}, then
 * {@link EnvelopeParameters}' checks), and what the gateway makes of an accepted one: the DSN parameters a Mail
 * carries and the parameters relayed to the next hop. Bad input is a {@link MailPath.InvalidException} or a
 * {@link EnvelopeParameters.Problem}; a finding is any exception, any Error, an accepted argument whose relayed
 * parameters the gateway itself would refuse, or more than 20 s for one input.
 * Inputs: {@code src/test/resources/org/smimegw/gateway/smtp/SmtpCommandFuzzTestInputs/mailAndRcpt}.
 */
class SmtpCommandFuzzTest {
    private static final String OTHER = "other@example.org";

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void mailAndRcpt(FuzzedDataProvider data) {
        boolean mailFrom = data.consumeBoolean();
        String argument = data.consumeRemainingAsString();
        MailPath path;
        try {
            path = MailPath.parse(argument);
        } catch (MailPath.InvalidException e) {
            assertThat(e.inPath() || e.keyword() != null).isTrue();
            return;
        }
        assertThat(path.parameters().keySet()).allMatch(k -> k.matches("[A-Z0-9][A-Z0-9-]*"));
        MailPath.domainOf(path.address());
        boolean nullSender = mailFrom && path.address().isEmpty();
        if (!nullSender && !MailPath.isMailbox(path.address())) {
            return;
        }
        Optional<EnvelopeParameters.Problem> problem = mailFrom ? EnvelopeParameters.checkMail(path.parameters())
                : EnvelopeParameters.checkRcpt(path.parameters());
        if (problem.isPresent()) {
            assertThat(path.parameters()).containsKey(problem.get().keyword());
            return;
        }
        Envelope envelope = mailFrom
                ? new Envelope(path.address(), path.parameters(), List.of(OTHER), Map.of(), "192.0.2.1", "client",
                        null, Instant.EPOCH, Map.of())
                : new Envelope(OTHER, Map.of(), List.of(path.address()), Map.of(path.address(), path.parameters()),
                        "192.0.2.1", "client", null, Instant.EPOCH, Map.of());
        String recipient = envelope.recipients().get(0);
        EnvelopeParameters.envelopeId(envelope);
        EnvelopeParameters.returnsFullMessage(envelope);
        EnvelopeParameters.is8BitMime(envelope);
        EnvelopeParameters.notify(envelope, recipient);
        EnvelopeParameters.originalRecipient(envelope, recipient);

        // what the pipeline's Mail carries and delivery sends on must pass the gateway's own checks
        Optional<DsnParameters> dsn = EnvelopeParameters.toDsnParameters(envelope);
        Map<String, String> relayedMail = EnvelopeParameters.mailParameters(
                EnvelopeParameters.withoutDsn(envelope.mailParameters()), dsn);
        assertThat(EnvelopeParameters.checkMail(relayedMail)).as("relayed MAIL FROM parameters %s", relayedMail)
                .isEmpty();
        dsn.ifPresent(d -> d.getRcptParameters().values().forEach(p -> {
            Map<String, String> relayedRcpt = EnvelopeParameters.rcptParameters(p);
            assertThat(EnvelopeParameters.checkRcpt(relayedRcpt)).as("relayed RCPT TO parameters %s", relayedRcpt)
                    .isEmpty();
        }));
    }
}
