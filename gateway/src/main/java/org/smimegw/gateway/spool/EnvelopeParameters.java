package org.smimegw.gateway.spool;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.EnvId;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.DsnParameters.Ret;
import org.apache.mailet.DsnParameters.XText;

/**
 * The MAIL FROM and RCPT TO parameters an {@link Envelope} carries, as on the wire (keys upper case, xtext encoded):
 * which ones the gateway accepts and their syntax, what they mean for delivery status notifications (RFC 3461), and
 * the conversion to and from James's {@link DsnParameters}, the form a {@code Mail} carries them in.
 * <ul>
 *   <li>MAIL FROM: {@code SIZE} (RFC 1870), {@code BODY=7BIT|8BITMIME} (RFC 6152), {@code AUTH} (RFC 4954),
 *       {@code RET=FULL|HDRS} and {@code ENVID} (RFC 3461);</li>
 *   <li>RCPT TO: {@code NOTIFY=NEVER|SUCCESS,FAILURE,DELAY} and {@code ORCPT=addr-type;xtext} (RFC 3461).</li>
 * </ul>
 */
public final class EnvelopeParameters {
    public static final String SIZE = "SIZE";
    public static final String BODY = "BODY";
    public static final String AUTH = "AUTH";
    public static final String RET = DsnParameters.RET_PARAMETER;
    public static final String ENVID = DsnParameters.ENVID_PARAMETER;
    public static final String NOTIFY = DsnParameters.NOTIFY_PARAMETER;
    public static final String ORCPT = DsnParameters.ORCPT_PARAMETER;

    /** The address type of ORCPT values that name an Internet mail address, the only one a Mail carries. */
    private static final String RFC822 = "rfc822";
    private static final Pattern SIZE_VALUE = Pattern.compile("[0-9]{1,18}");
    private static final Pattern BODY_VALUE = Pattern.compile("(?i)7BIT|8BITMIME");
    private static final Pattern RET_VALUE = Pattern.compile("(?i)FULL|HDRS");
    private static final Pattern NOTIFY_VALUE =
            Pattern.compile("(?i)NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY))*");
    /** addr-type is an RFC 5322 atom. */
    private static final Pattern ORCPT_VALUE = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+;.*");
    private static final int MAX_ENVID = 100;
    private static final int MAX_ORCPT = 500;

    private EnvelopeParameters() {
    }

    /**
     * A parameter the SMTP front end refuses.
     *
     * @param keyword     the parameter's keyword, upper case
     * @param unsupported true when the gateway does not know it; false when its value is malformed
     */
    public record Problem(String keyword, boolean unsupported) {
    }

    /** The first MAIL FROM parameter that is unknown or malformed, if any. */
    public static Optional<Problem> checkMail(Map<String, String> parameters) {
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String value = p.getValue();
            boolean valid = switch (p.getKey()) {
                case SIZE -> SIZE_VALUE.matcher(value).matches();
                case BODY -> BODY_VALUE.matcher(value).matches();
                case AUTH -> !value.isEmpty() && XText.isValid(value); // an xtext mailbox or "<>"
                case RET -> RET_VALUE.matcher(value).matches();
                case ENVID -> !value.isEmpty() && value.length() <= MAX_ENVID && XText.isValid(value);
                default -> false;
            };
            if (!valid) {
                return Optional.of(new Problem(p.getKey(), !isMailKeyword(p.getKey())));
            }
        }
        return Optional.empty();
    }

    /** The first RCPT TO parameter that is unknown or malformed, if any. */
    public static Optional<Problem> checkRcpt(Map<String, String> parameters) {
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String value = p.getValue();
            boolean valid = switch (p.getKey()) {
                case NOTIFY -> NOTIFY_VALUE.matcher(value).matches();
                case ORCPT -> value.length() <= MAX_ORCPT && ORCPT_VALUE.matcher(value).matches()
                        && XText.isValid(value.substring(value.indexOf(';') + 1));
                default -> false;
            };
            if (!valid) {
                return Optional.of(new Problem(p.getKey(), !p.getKey().equals(NOTIFY) && !p.getKey().equals(ORCPT)));
            }
        }
        return Optional.empty();
    }

    private static boolean isMailKeyword(String keyword) {
        return switch (keyword) {
            case SIZE, BODY, AUTH, RET, ENVID -> true;
            default -> false;
        };
    }

    /** True when the client declared an 8-bit body ({@code BODY=8BITMIME}). */
    public static boolean is8BitMime(Envelope envelope) {
        return "8BITMIME".equalsIgnoreCase(envelope.mailParameters().get(BODY));
    }

    /** The ENVID, xtext-decoded as it appears in {@code Original-Envelope-Id} (RFC 3464 section 2.2.1). */
    public static Optional<String> envelopeId(Envelope envelope) {
        return Optional.ofNullable(envelope.mailParameters().get(ENVID)).filter(XText::isValid).map(XText::decode);
    }

    /** True when the sender asked for the whole message in failure reports ({@code RET=FULL}). */
    public static boolean returnsFullMessage(Envelope envelope) {
        return "FULL".equalsIgnoreCase(envelope.mailParameters().get(RET));
    }

    /**
     * When {@code recipient} wants to be told about: its NOTIFY, or FAILURE when it gave none (RFC 3461 section 4.1
     * lets an MTA read a missing NOTIFY as FAILURE or FAILURE,DELAY; the gateway takes FAILURE). An empty set for
     * NEVER.
     */
    public static EnumSet<Notify> notify(Envelope envelope, String recipient) {
        String value = envelope.parametersOf(recipient).get(NOTIFY);
        if (value == null || !NOTIFY_VALUE.matcher(value).matches()) {
            return EnumSet.of(Notify.FAILURE);
        }
        EnumSet<Notify> notify = Notify.parse(value);
        notify.remove(Notify.NEVER);
        return notify;
    }

    /** The ORCPT of {@code recipient} as {@code Original-Recipient} shows it: address type and decoded address. */
    public static Optional<String> originalRecipient(Envelope envelope, String recipient) {
        String value = envelope.parametersOf(recipient).get(ORCPT);
        if (value == null || !ORCPT_VALUE.matcher(value).matches()) {
            return Optional.empty();
        }
        int semicolon = value.indexOf(';');
        String address = value.substring(semicolon + 1);
        return XText.isValid(address) ? Optional.of(value.substring(0, semicolon) + ";" + XText.decode(address))
                : Optional.empty();
    }

    /**
     * The envelope's DSN parameters as a Mail carries them, empty when there are none. An ORCPT whose address type
     * is not {@code rfc822}, or whose address James's {@link MailAddress} cannot hold, has no place there and is left
     * out (RFC 3461 lets such an address break the rules of its type).
     */
    public static Optional<DsnParameters> toDsnParameters(Envelope envelope) {
        DsnParameters.Builder builder = DsnParameters.builder();
        Optional.ofNullable(envelope.mailParameters().get(ENVID)).filter(XText::isValid).map(EnvId::of)
                .ifPresent(builder::envId);
        Optional.ofNullable(envelope.mailParameters().get(RET)).flatMap(Ret::parse).ifPresent(builder::ret);
        for (Map.Entry<String, Map<String, String>> entry : envelope.recipientParameters().entrySet()) {
            Optional<EnumSet<Notify>> notify = Optional.ofNullable(entry.getValue().get(NOTIFY))
                    .filter(v -> NOTIFY_VALUE.matcher(v).matches()).map(Notify::parse);
            Optional<MailAddress> orcpt = originalRecipient(envelope, entry.getKey())
                    .filter(o -> o.regionMatches(true, 0, RFC822 + ";", 0, RFC822.length() + 1))
                    .flatMap(o -> mailAddress(o.substring(RFC822.length() + 1)));
            Optional<MailAddress> recipient = mailAddress(entry.getKey());
            Optional<RecipientDsnParameters> parameters = RecipientDsnParameters.of(notify, orcpt);
            if (recipient.isPresent() && parameters.isPresent()) {
                builder.addRcptParameter(recipient.get(), parameters.get());
            }
        }
        return builder.build();
    }

    /**
     * MAIL FROM parameters on the wire: {@code others} (SIZE, BODY, AUTH, ...) with the ENVID and RET of
     * {@code dsn}, which win over any in {@code others}.
     */
    public static Map<String, String> mailParameters(Map<String, String> others, Optional<DsnParameters> dsn) {
        Map<String, String> wire = new LinkedHashMap<>(others);
        wire.remove(ENVID);
        wire.remove(RET);
        dsn.flatMap(DsnParameters::getEnvIdParameter).ifPresent(id -> wire.put(ENVID, id.asString()));
        dsn.flatMap(DsnParameters::getRetParameter).ifPresent(ret -> wire.put(RET, ret.name()));
        return wire;
    }

    /** The MAIL FROM parameters that are not DSN parameters (those a Mail carries in its DsnParameters). */
    public static Map<String, String> withoutDsn(Map<String, String> mailParameters) {
        Map<String, String> others = new LinkedHashMap<>(mailParameters);
        others.remove(ENVID);
        others.remove(RET);
        return others;
    }

    /** RCPT TO parameters on the wire for one recipient's DSN parameters. */
    public static Map<String, String> rcptParameters(RecipientDsnParameters dsn) {
        Map<String, String> wire = new LinkedHashMap<>();
        dsn.getNotifyParameter().ifPresent(notify -> wire.put(NOTIFY, String.join(",",
                notify.stream().map(Notify::name).toList())));
        dsn.getOrcptParameter().ifPresent(orcpt -> wire.put(ORCPT, RFC822 + ";" + XText.encode(orcpt.asString())));
        return wire;
    }

    private static Optional<MailAddress> mailAddress(String address) {
        try {
            return Optional.of(new MailAddress(address));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }
}
