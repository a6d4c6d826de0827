package org.smimegw.gateway.container;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * The gateway's {@link Mail}: envelope, processing state and attributes of one message in the pipeline. The
 * message is opened lazily as a MimeMessage backed by the spool file; copies made by {@link #duplicate()} after
 * the message was opened are written to a {@link MailScratch} file, so no copy holds the message in memory.
 * Not thread-safe: one mail is worked on by one thread at a time.
 */
public final class GatewayMail implements Mail {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Opens the stored message; called at most once per mail. */
    @FunctionalInterface
    public interface MessageSource {
        MimeMessage open() throws MessagingException;
    }

    private String name;
    private String state;
    private final MaybeSender sender;
    private List<MailAddress> recipients;
    private transient MimeMessage message;
    private final transient MessageSource source;
    private final Path contentFile;
    private final String remoteHost;
    private final String remoteAddr;
    private String errorMessage;
    private Date lastUpdated;
    private final Map<AttributeName, Attribute> attributes;
    private final PerRecipientHeaders perRecipientHeaders;
    private DsnParameters dsnParameters;
    private final transient MailScratch scratch;

    private GatewayMail(String name, String state, MaybeSender sender, Collection<MailAddress> recipients,
                        MimeMessage message, MessageSource source, Path contentFile, String remoteHost,
                        String remoteAddr, Date lastUpdated, MailScratch scratch) {
        this.name = name;
        this.state = state;
        this.sender = sender;
        this.recipients = new ArrayList<>(recipients);
        this.message = message;
        this.source = source;
        this.contentFile = contentFile;
        this.remoteHost = remoteHost;
        this.remoteAddr = remoteAddr;
        this.lastUpdated = lastUpdated;
        this.attributes = new LinkedHashMap<>();
        this.perRecipientHeaders = new PerRecipientHeaders();
        this.scratch = scratch;
    }

    /** A new mail in state {@code root} around an existing message (re-injection, tests). */
    public GatewayMail(String name, MaybeSender sender, Collection<MailAddress> recipients, MimeMessage message,
                       String remoteAddr, MailScratch scratch) {
        this(name, Mail.DEFAULT, sender, recipients, message, null, null, remoteAddr, remoteAddr, new Date(),
                scratch);
    }

    /**
     * The mail for a spool entry: name = queue id, state = {@link PipelineAttributes#STATE} or {@code root}, the
     * envelope as {@link MailEnvelopes} maps it (sender, recipients, HELO, AUTH user, MAIL and RCPT parameters), and
     * the envelope's {@code policy.*} attributes ({@link PipelineAttributes#POLICY_PREFIX}) as String attributes; the
     * message is opened from the spool file on first use.
     */
    public static GatewayMail fromSpool(SpoolEntry entry, Spool spool, MailScratch scratch)
            throws MessagingException {
        Envelope envelope = entry.envelope();
        String state = envelope.attributes().getOrDefault(PipelineAttributes.STATE, Mail.DEFAULT);
        MessageSource source = () -> {
            try {
                MimeMessage opened = spool.open(entry);
                if (opened instanceof AutoCloseable closeable) {
                    scratch.closeLater(closeable);
                }
                return opened;
            } catch (SpoolException e) {
                throw new MessagingException("cannot open spooled message " + entry.id() + ": " + e.getMessage(), e);
            }
        };
        GatewayMail mail = new GatewayMail(entry.id(), state, MailEnvelopes.sender(envelope),
                MailEnvelopes.recipients(envelope), null, source, entry.contentFile(), envelope.clientAddress(),
                envelope.clientAddress(), Date.from(envelope.receivedAt()), scratch);
        MailEnvelopes.restore(envelope, mail);
        envelope.attributes().forEach((name, value) -> {
            if (name.startsWith(PipelineAttributes.POLICY_PREFIX)) {
                mail.setAttribute(new Attribute(AttributeName.of(name), AttributeValue.of(value)));
            }
        });
        return mail;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public MimeMessage getMessage() throws MessagingException {
        if (message == null && source != null) {
            message = source.open();
        }
        return message;
    }

    /** True once the message was opened or replaced, i.e. it may differ from the stored file. */
    boolean messageLoaded() {
        return message != null;
    }

    @Override
    public void setMessage(MimeMessage message) {
        this.message = message;
    }

    @Override
    public Collection<MailAddress> getRecipients() {
        return recipients;
    }

    @Override
    public void setRecipients(Collection<MailAddress> recipients) {
        this.recipients = new ArrayList<>(recipients);
    }

    @Override
    public MailAddress getSender() {
        return sender.asOptional().orElse(null);
    }

    @Override
    public MaybeSender getMaybeSender() {
        return sender;
    }

    @Override
    public boolean hasSender() {
        return !sender.isNullSender();
    }

    @Override
    public Mail duplicate() throws MessagingException {
        MimeMessage copy;
        MessageSource copySource;
        if (message == null && source != null) {
            copy = null;
            copySource = source;
        } else {
            copy = message == null ? null : scratch.copy(message);
            copySource = null;
        }
        GatewayMail duplicate = new GatewayMail(scratch.deriveName(name), state, sender, recipients, copy, copySource,
                copySource == null ? null : contentFile, remoteHost, remoteAddr, new Date(), scratch);
        duplicate.errorMessage = errorMessage;
        attributes.values().forEach(a -> duplicate.attributes.put(a.getName(), a.duplicate()));
        duplicate.perRecipientHeaders.addAll(perRecipientHeaders);
        duplicate.dsnParameters = dsnParameters;
        return duplicate;
    }

    @Override
    public String getState() {
        return state;
    }

    @Override
    public void setState(String state) {
        this.state = state;
    }

    @Override
    public String getRemoteHost() {
        return remoteHost;
    }

    @Override
    public String getRemoteAddr() {
        return remoteAddr;
    }

    @Override
    public String getErrorMessage() {
        return errorMessage;
    }

    @Override
    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    @Override
    public Stream<Attribute> attributes() {
        return List.copyOf(attributes.values()).stream();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Serializable getAttribute(String name) {
        Attribute attribute = attributes.get(AttributeName.of(name));
        if (attribute == null) {
            return null;
        }
        Object value = attribute.getValue().value();
        return value instanceof Serializable serializable ? serializable : null;
    }

    @Override
    public Optional<Attribute> getAttribute(AttributeName name) {
        return Optional.ofNullable(attributes.get(name));
    }

    @Override
    public Iterator<String> getAttributeNames() {
        return attributes.keySet().stream().map(AttributeName::asString).toList().iterator();
    }

    @Override
    public Stream<AttributeName> attributeNames() {
        return List.copyOf(attributes.keySet()).stream();
    }

    @Override
    public boolean hasAttributes() {
        return !attributes.isEmpty();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Serializable removeAttribute(String name) {
        Serializable previous = getAttribute(name);
        attributes.remove(AttributeName.of(name));
        return previous;
    }

    @Override
    public Optional<Attribute> removeAttribute(AttributeName name) {
        return Optional.ofNullable(attributes.remove(name));
    }

    @Override
    public void removeAllAttributes() {
        attributes.clear();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Serializable setAttribute(String name, Serializable value) {
        Serializable previous = getAttribute(name);
        setAttribute(Attribute.convertToAttribute(name, value));
        return previous;
    }

    @Override
    public Optional<Attribute> setAttribute(Attribute attribute) {
        return Optional.ofNullable(attributes.put(attribute.getName(), attribute));
    }

    @Override
    public Map<AttributeName, Attribute> attributesMap() {
        return Map.copyOf(attributes);
    }

    @Override
    public void addSpecificHeaderForRecipient(PerRecipientHeaders.Header header, MailAddress recipient) {
        perRecipientHeaders.addHeaderForRecipient(header, recipient);
    }

    @Override
    public PerRecipientHeaders getPerRecipientSpecificHeaders() {
        return perRecipientHeaders;
    }

    /** Size of the whole message in bytes: the spool file's size while untouched, else counted by streaming. */
    @Override
    public long getMessageSize() throws MessagingException {
        if (message == null && contentFile != null) {
            try {
                return Files.size(contentFile);
            } catch (IOException e) {
                throw new MessagingException("cannot read size of " + contentFile, e);
            }
        }
        MimeMessage current = getMessage();
        if (current == null) {
            return 0;
        }
        CountingOutputStream counter = new CountingOutputStream();
        try {
            current.writeTo(counter);
        } catch (IOException e) {
            throw new MessagingException("cannot compute message size", e);
        }
        return counter.count;
    }

    @Override
    public Date getLastUpdated() {
        return lastUpdated;
    }

    @Override
    public void setLastUpdated(Date lastUpdated) {
        this.lastUpdated = lastUpdated;
    }

    @Override
    public Optional<DsnParameters> dsnParameters() {
        return Optional.ofNullable(dsnParameters);
    }

    @Override
    public void setDsnParameters(DsnParameters dsnParameters) {
        this.dsnParameters = dsnParameters;
    }

    @Override
    public String toString() {
        return "GatewayMail[" + name + ", state=" + state + ", " + recipients.size() + " recipient(s)]";
    }

    private static final class CountingOutputStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
