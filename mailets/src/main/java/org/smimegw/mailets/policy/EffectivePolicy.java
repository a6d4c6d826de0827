package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.NegotiationMode;
import org.smimegw.mailets.crypto.CertificateInclusion;

/**
 * The policy for one sender/recipient pair in one direction: every setting with its value and origin, combined from
 * the sender's Sending policy and the recipient's Receiving policy by each setting's pair rule
 * ({@link Setting#pairRule()}), plus the conflicts between the two sides. Immutable.
 */
public final class EffectivePolicy {

    private final MailDirection direction;
    private final String sender;
    private final String recipient;
    private final PartyPolicy senderSide;
    private final PartyPolicy recipientSide;
    private final Map<Setting<?>, EffectiveSetting<?>> values;
    private final List<PolicyConflict> conflicts;

    private EffectivePolicy(MailDirection direction, PartyPolicy senderSide, PartyPolicy recipientSide,
                            Map<Setting<?>, EffectiveSetting<?>> values, List<PolicyConflict> conflicts) {
        this.direction = direction;
        this.sender = senderSide.address();
        this.recipient = recipientSide.address();
        this.senderSide = senderSide;
        this.recipientSide = recipientSide;
        this.values = Collections.unmodifiableMap(values);
        this.conflicts = List.copyOf(conflicts);
    }

    static EffectivePolicy combine(MailDirection direction, PartyPolicy sending, PartyPolicy receiving) {
        PartyPolicy s = sending.onSide(Side.SENDER);
        PartyPolicy r = receiving.onSide(Side.RECIPIENT);
        Map<Setting<?>, EffectiveSetting<?>> values = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            values.put(setting, combineOne(setting, s, r, direction));
        }
        EffectivePolicy draft = new EffectivePolicy(direction, s, r, values, List.of());
        return new EffectivePolicy(direction, s, r, values, draft.findConflicts());
    }

    private static <T> EffectiveSetting<T> combineOne(Setting<T> setting, PartyPolicy s, PartyPolicy r,
                                                      MailDirection direction) {
        return setting.combine(s.get(setting), r.get(setting), direction);
    }

    private List<PolicyConflict> findConflicts() {
        List<PolicyConflict> found = new ArrayList<>();
        EffectiveSetting<List<DigestAlgorithm>> digests = get(Settings.SIGNING_ALGORITHMS);
        EffectiveSetting<DigestAlgorithm> digest = get(Settings.REQUIRE_SIGNED_ALGORITHM);
        if (digests.value().isEmpty()) {
            found.add(new PolicyConflict(Settings.SIGNING_ALGORITHMS, "the sender's OWASigningAlgorithms "
                    + senderSide.get(Settings.SIGNING_ALGORITHMS).formattedValue() + " and the recipient's "
                    + recipientSide.get(Settings.SIGNING_ALGORITHMS).formattedValue() + " have nothing in common"));
        } else if (!digests.value().contains(digest.value())) {
            found.add(new PolicyConflict(Settings.REQUIRE_SIGNED_ALGORITHM, "RequireSignedSMIMEAlgorithm "
                    + digest.value() + " (" + digest.describeOrigins() + ") is not in OWASigningAlgorithms "
                    + digests.formattedValue() + " (" + digests.describeOrigins() + ")"));
        }
        EffectiveSetting<List<EncryptionAlgorithm>> ciphers = get(Settings.ENCRYPTION_ALGORITHMS);
        EffectiveSetting<EncryptionAlgorithm> cipher = get(Settings.REQUIRE_ENCRYPTION_ALGORITHM);
        if (ciphers.value().isEmpty()) {
            found.add(new PolicyConflict(Settings.ENCRYPTION_ALGORITHMS, "the sender's OWAEncryptionAlgorithms "
                    + senderSide.get(Settings.ENCRYPTION_ALGORITHMS).formattedValue() + " and the recipient's "
                    + recipientSide.get(Settings.ENCRYPTION_ALGORITHMS).formattedValue() + " have nothing in common"));
        } else if (!ciphers.value().contains(cipher.value())) {
            found.add(new PolicyConflict(Settings.REQUIRE_ENCRYPTION_ALGORITHM, "RequireEncryptionSMIMEAlgorithm "
                    + cipher.value() + " (" + cipher.describeOrigins() + ") is not in OWAEncryptionAlgorithms "
                    + ciphers.formattedValue() + " (" + ciphers.describeOrigins() + ")"));
        }
        return found;
    }

    public MailDirection direction() {
        return direction;
    }

    public String sender() {
        return sender;
    }

    public String recipient() {
        return recipient;
    }

    /** The sender's own policy for mail it sends (origins tagged {@link Side#SENDER}). */
    public PartyPolicy senderSide() {
        return senderSide;
    }

    /** The recipient's own policy for mail it receives (origins tagged {@link Side#RECIPIENT}). */
    public PartyPolicy recipientSide() {
        return recipientSide;
    }

    /** Every setting, in {@link Settings#ALL} order. */
    public List<EffectiveSetting<?>> all() {
        return List.copyOf(values.values());
    }

    public List<PolicyConflict> conflicts() {
        return conflicts;
    }

    /** The conflict that concerns signing (digest settings), if any. */
    public Optional<PolicyConflict> signingConflict() {
        return conflicts.stream().filter(c -> c.setting() == Settings.SIGNING_ALGORITHMS
                || c.setting() == Settings.REQUIRE_SIGNED_ALGORITHM).findFirst();
    }

    /** The conflict that concerns encryption (content-encryption settings), if any. */
    public Optional<PolicyConflict> encryptionConflict() {
        return conflicts.stream().filter(c -> c.setting() == Settings.ENCRYPTION_ALGORITHMS
                || c.setting() == Settings.REQUIRE_ENCRYPTION_ALGORITHM).findFirst();
    }

    @SuppressWarnings("unchecked")
    public <T> EffectiveSetting<T> get(Setting<T> setting) {
        return (EffectiveSetting<T>) values.get(setting);
    }

    public <T> T value(Setting<T> setting) {
        return get(setting).value();
    }

    public boolean requireSigned() {
        return value(Settings.REQUIRE_SIGNED);
    }

    public boolean requireEncrypted() {
        return value(Settings.REQUIRE_ENCRYPTED);
    }

    public DigestAlgorithm signingDigest() {
        return value(Settings.REQUIRE_SIGNED_ALGORITHM);
    }

    public EncryptionAlgorithm requiredEncryptionAlgorithm() {
        return value(Settings.REQUIRE_ENCRYPTION_ALGORITHM);
    }

    public NegotiationMode negotiation() {
        return value(Settings.NEGOTIATION);
    }

    public boolean allowSoftCerts() {
        return value(Settings.ALLOW_SOFT_CERTS);
    }

    public boolean allowWeakAlgorithms() {
        return value(Settings.ALLOW_WEAK_ALGORITHMS);
    }

    public List<DigestAlgorithm> signingAlgorithms() {
        return value(Settings.SIGNING_ALGORITHMS);
    }

    public List<EncryptionAlgorithm> encryptionAlgorithms() {
        return value(Settings.ENCRYPTION_ALGORITHMS);
    }

    public CertificateInclusion chainInclusion() {
        if (value(Settings.INCLUDE_CHAIN_AND_ROOT)) {
            return CertificateInclusion.CHAIN_AND_ROOT;
        }
        return value(Settings.INCLUDE_CHAIN_WITHOUT_ROOT) ? CertificateInclusion.CHAIN_WITHOUT_ROOT
                : CertificateInclusion.CERTIFICATE_ONLY;
    }

    public InboundViolationAction inboundViolationAction() {
        return value(Settings.INBOUND_VIOLATION_ACTION);
    }

    @Override
    public String toString() {
        return direction + " " + sender + " -> " + recipient + " " + values.values();
    }
}
