package org.smimegw.gateway.container;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * Keeps a mail for an administrator: stores it durably in the ERROR (default) or QUARANTINE spool area, with its
 * error message, the processor it was in and its String {@code policy.*} attributes (e.g.
 * {@code policy.quarantineReason}), and ends its processing (GHOST). Ends the {@code error} processor
 * the way James's ToRepository does, so a failed mail is never silently dropped.
 * <pre>{@code <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>}</pre>
 */
public class ToSpoolArea extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(ToSpoolArea.class);
    private static final Set<SpoolArea> ALLOWED = Set.of(SpoolArea.ERROR, SpoolArea.QUARANTINE);

    private final Spool spool;
    private final Clock clock;
    private SpoolArea area;

    @Inject
    public ToSpoolArea(Spool spool) {
        this(spool, Clock.systemUTC());
    }

    ToSpoolArea(Spool spool, Clock clock) {
        this.spool = spool;
        this.clock = clock;
    }

    public Set<String> getAllowedInitParameters() {
        return Set.of("area");
    }

    @Override
    public void init() throws MessagingException {
        String value = getInitParameter("area", "error").trim();
        try {
            area = SpoolArea.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            area = null;
        }
        if (area == null || !ALLOWED.contains(area)) {
            throw new MessagingException("area must be error or quarantine, was '" + value + "'");
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Map<String, String> attributes = new HashMap<>(MailEnvelopes.policyAttributes(mail));
        attributes.put(PipelineAttributes.STATE, mail.getState());
        if (mail.getErrorMessage() != null) {
            attributes.put(PipelineAttributes.LAST_ERROR, mail.getErrorMessage().replaceAll("[\\r\\n]+", " "));
        }
        SpoolEntry entry;
        try {
            entry = spool.store(area, MailEnvelopes.of(mail, clock.instant(), attributes), mail.getMessage());
        } catch (SpoolException e) {
            throw new MessagingException("cannot store mail in the " + area.directoryName() + " area: "
                    + e.getMessage(), e);
        }
        LOG.warn("kept in the {} area as {} ({} recipient(s)){}", area.directoryName(), entry.id(),
                mail.getRecipients().size(), mail.getErrorMessage() == null ? "" : ": " + mail.getErrorMessage());
        mail.setState(Mail.GHOST);
    }
}
