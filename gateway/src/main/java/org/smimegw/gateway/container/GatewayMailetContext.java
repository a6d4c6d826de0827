package org.smimegw.gateway.container;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.HostAddress;
import org.apache.mailet.LookupException;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The gateway's {@link MailetContext}: knows the internal domains and the postmaster, re-injects mails sent by
 * mailets durably into the INCOMING spool (with the processor to start in), hands bounces to the delivery's
 * {@link MailBouncer}, and logs through SLF4J. Outlives container reloads: the loader gives every mailet this
 * one context.
 */
public final class GatewayMailetContext implements MailetContext {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMailetContext.class);

    private final Set<Domain> internalDomains;
    private final MailAddress postmaster;
    private final Spool spool;
    private final MailBouncer bouncer;
    private final Consumer<SpoolEntry> injected;
    private final Clock clock;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    /**
     * @param internalDomains the domains the gateway serves (isLocalServer, isLocalEmail)
     * @param postmaster      the postmaster address
     * @param spool           where {@code sendMail} stores new mails (INCOMING area)
     * @param bouncer         what {@code bounce} hands mails to
     * @param injected        told about every mail stored by {@code sendMail} (e.g. the pipeline runner);
     *                        entries it misses are still found by the runner's rescan
     * @param clock           time source for delayed sends and received dates
     */
    public GatewayMailetContext(Set<Domain> internalDomains, MailAddress postmaster, Spool spool, MailBouncer bouncer,
                                Consumer<SpoolEntry> injected, Clock clock) {
        this.internalDomains = internalDomains.stream()
                .map(d -> Domain.of(d.asString().toLowerCase(Locale.ROOT)))
                .collect(Collectors.toUnmodifiableSet());
        this.postmaster = postmaster;
        this.spool = spool;
        this.bouncer = bouncer;
        this.injected = injected;
        this.clock = clock;
    }

    @Override
    public int getMajorVersion() {
        return 3;
    }

    @Override
    public int getMinorVersion() {
        return 9;
    }

    @Override
    public String getServerInfo() {
        return "smime-gateway";
    }

    @Override
    public Iterator<String> getAttributeNames() {
        return List.copyOf(attributes.keySet()).iterator();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public void log(String message) {
        LOG.info(message);
    }

    @Override
    public void log(String message, Throwable t) {
        LOG.error(message, t);
    }

    @Override
    public void log(LogLevel level, String message) {
        log(level, message, null);
    }

    @Override
    public void log(LogLevel level, String message, Throwable t) {
        switch (level) {
            case DEBUG -> LOG.debug(message, t);
            case INFO -> LOG.info(message, t);
            case WARN -> LOG.warn(message, t);
            case ERROR -> LOG.error(message, t);
        }
    }

    @Override
    public Logger getLogger() {
        return LOG;
    }

    @Override
    public MailAddress getPostmaster() {
        return postmaster;
    }

    @Override
    public boolean isLocalServer(Domain domain) {
        return domain != null && internalDomains.contains(Domain.of(domain.asString().toLowerCase(Locale.ROOT)));
    }

    /** A user name with a domain is checked as an address; a bare name is taken in the postmaster's domain. */
    @Override
    public boolean isLocalUser(String userAccount) {
        if (userAccount == null || userAccount.isEmpty()) {
            return false;
        }
        try {
            MailAddress address = userAccount.contains("@") ? new MailAddress(userAccount)
                    : MailAddress.of(userAccount, postmaster.getDomain());
            return isLocalEmail(address);
        } catch (MessagingException e) {
            return false;
        }
    }

    @Override
    public boolean isLocalEmail(MailAddress mailAddress) {
        return mailAddress != null && !mailAddress.isNullSender() && isLocalServer(mailAddress.getDomain());
    }

    /** The gateway does not resolve MX records for mailets: next hops are configured. Always empty. */
    @Override
    public Collection<String> getMailServers(Domain domain) {
        return List.of();
    }

    @Override
    public Iterator<HostAddress> getSMTPHostAddresses(Domain domain) {
        return Collections.emptyIterator();
    }

    @Override
    public List<String> dnsLookup(String name, RecordType type) throws LookupException {
        throw new LookupException("DNS lookups are not supported by the gateway's mailet context (asked "
                + type + " " + name + "); configure next hops and addresses instead");
    }

    @Override
    public void sendMail(MimeMessage message) throws MessagingException {
        Address[] from = message.getFrom();
        MaybeSender sender = from == null || from.length == 0 ? MaybeSender.nullSender()
                : MaybeSender.of(new MailAddress((InternetAddress) from[0]));
        Address[] to = message.getAllRecipients();
        List<MailAddress> recipients = new ArrayList<>();
        if (to != null) {
            for (Address address : to) {
                recipients.add(new MailAddress((InternetAddress) address));
            }
        }
        store(sender, recipients, message, Mail.DEFAULT);
    }

    @Override
    public void sendMail(MailAddress sender, Collection<MailAddress> recipients, MimeMessage message)
            throws MessagingException {
        sendMail(sender, recipients, message, Mail.DEFAULT);
    }

    @Override
    public void sendMail(MailAddress sender, Collection<MailAddress> recipients, MimeMessage message, String state)
            throws MessagingException {
        MaybeSender maybeSender = sender == null ? MaybeSender.nullSender() : MaybeSender.of(sender);
        store(maybeSender, recipients, message, state);
    }

    /** Re-injects in the mail's own state (root when it has none). */
    @Override
    public void sendMail(Mail mail) throws MessagingException {
        sendMail(mail, stateOf(mail));
    }

    @Override
    public void sendMail(Mail mail, long delay, TimeUnit unit) throws MessagingException {
        sendMail(mail, stateOf(mail), delay, unit);
    }

    @Override
    public void sendMail(Mail mail, String state) throws MessagingException {
        sendMail(mail, state, 0, TimeUnit.MILLISECONDS);
    }

    /** Stores the mail with its envelope and its policy state ({@code policy.*} attributes, read back by the runner). */
    @Override
    public void sendMail(Mail mail, String state, long delay, TimeUnit unit) throws MessagingException {
        store(mail.getRecipients(), mail.getMessage(), state, unit.toMillis(delay), attributes -> {
            Map<String, String> all = new HashMap<>(MailEnvelopes.policyAttributes(mail));
            all.putAll(attributes);
            return MailEnvelopes.of(mail, clock.instant(), all);
        });
    }

    private static String stateOf(Mail mail) {
        String state = mail.getState();
        return state == null || state.isEmpty() || Mail.GHOST.equals(state) ? Mail.DEFAULT : state;
    }

    private void store(MaybeSender sender, Collection<MailAddress> recipients, MimeMessage message, String state)
            throws MessagingException {
        store(recipients, message, state, 0,
                attributes -> MailEnvelopes.of(sender, recipients, clock.instant(), attributes));
    }

    private void store(Collection<MailAddress> recipients, MimeMessage message, String state, long delayMillis,
                       Function<Map<String, String>, Envelope> envelopeFor) throws MessagingException {
        if (recipients.isEmpty()) {
            throw new MessagingException("cannot send a mail without recipients");
        }
        Map<String, String> attrs = new HashMap<>();
        attrs.put(PipelineAttributes.STATE, state == null ? Mail.DEFAULT : state);
        if (delayMillis > 0) {
            attrs.put(PipelineAttributes.NOT_BEFORE, Long.toString(clock.millis() + delayMillis));
        }
        SpoolEntry entry;
        try {
            entry = spool.store(SpoolArea.INCOMING, envelopeFor.apply(attrs), message);
        } catch (SpoolException e) {
            throw new MessagingException("cannot re-inject mail into the spool: " + e.getMessage(), e);
        }
        LOG.info("re-injected as {} into processor {} for {} recipient(s)", entry.id(), state, recipients.size());
        injected.accept(entry);
    }

    @Override
    public void bounce(Mail mail, String message) throws MessagingException {
        bounce(mail, message, postmaster);
    }

    @Override
    public void bounce(Mail mail, String message, MailAddress bouncer) throws MessagingException {
        this.bouncer.bounce(mail, message, bouncer == null ? postmaster : bouncer);
    }
}
