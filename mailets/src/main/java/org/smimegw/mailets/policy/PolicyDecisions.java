package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.mailets.crypto.HeaderProtection;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/**
 * Pure decisions from an {@link EffectivePolicy} and the facts about keys, certificates and messages. No I/O, no
 * state: the enforcement mailets gather the facts (certificate store, validator, verifier), call these, then log one
 * line and count one metric per decision ({@code setting()} x {@code outcome()}).
 */
public final class PolicyDecisions {

    private final EncryptionNegotiator negotiator;

    public PolicyDecisions(EncryptionNegotiator negotiator) {
        this.negotiator = negotiator;
    }

    public PolicyDecisions() {
        this(new EncryptionNegotiator());
    }

    /**
     * Outbound, for one recipient. Order: signing first (a refusal there is final), then encryption. Required
     * encryption is never dropped: no certificate refuses ({@link PolicyStatus#REFUSED}), a directory outage or an
     * unreachable CRL with OWACheckCRLOnSend defers ({@link PolicyStatus#DEFERRED}).
     */
    public OutboundDecision decideOutbound(EffectivePolicy p, SigningKeyFact key, RecipientCertificateFact certificate) {
        List<String> notes = new ArrayList<>();

        // ---- signing
        boolean needSign = p.requireSigned();
        boolean wantSign = needSign || p.value(Settings.ALWAYS_SIGN);
        EffectiveSetting<Boolean> signRule = needSign ? p.get(Settings.REQUIRE_SIGNED) : p.get(Settings.ALWAYS_SIGN);
        Optional<SigningPlan> signing = Optional.empty();
        if (wantSign) {
            Optional<PolicyConflict> conflict = p.signingConflict();
            if (conflict.isPresent()) {
                if (needSign) {
                    return refuse(conflict.get().setting().name(), "signing required (" + where(signRule)
                            + ") but policies conflict: " + conflict.get().reason());
                }
                notes.add("not signed: " + conflict.get().reason());
            } else if (key instanceof SigningKeyFact.Missing missing) {
                if (needSign) {
                    return refuse(Settings.REQUIRE_SIGNED.name(), "signing required (" + where(signRule) + ") but "
                            + p.sender() + " has no usable signing key: " + missing.reason());
                }
                notes.add("not signed: " + p.sender() + " has no usable signing key (" + missing.reason() + ")");
            } else if (key instanceof SigningKeyFact.Usable usable) {
                if (usable.storage() == KeyStorage.SOFTWARE && !p.allowSoftCerts()) {
                    EffectiveSetting<Boolean> soft = p.get(Settings.ALLOW_SOFT_CERTS);
                    String why = p.sender() + "'s signing key is in a software keystore and AllowSMIMESoftCerts is "
                            + "false (" + where(soft) + "): only a hardware token key may be used";
                    if (needSign) {
                        return refuse(Settings.ALLOW_SOFT_CERTS.name(), "signing required (" + where(signRule)
                                + ") but " + why);
                    }
                    notes.add("not signed: " + why);
                } else {
                    EffectiveSetting<DigestAlgorithm> digest = p.get(Settings.REQUIRE_SIGNED_ALGORITHM);
                    List<EncryptionAlgorithm> announce = p.value(Settings.INCLUDE_CAPABILITIES)
                            ? p.encryptionAlgorithms() : List.of();
                    signing = Optional.of(new SigningPlan(digest.value(), usable.certificate(), usable.storage(),
                            p.value(Settings.CLEAR_SIGN), p.chainInclusion(), announce,
                            (needSign ? "RequireSignedSMIMEMessages" : "OWAAlwaysSign") + " (" + where(signRule)
                                    + "), digest " + digest.value() + " (" + where(digest) + ")"));
                }
            }
        }

        // ---- encryption
        boolean needEnc = p.requireEncrypted();
        boolean wantEnc = needEnc || p.value(Settings.ALWAYS_ENCRYPT);
        EffectiveSetting<Boolean> encRule = needEnc ? p.get(Settings.REQUIRE_ENCRYPTED) : p.get(Settings.ALWAYS_ENCRYPT);
        Optional<EncryptionPlan> encryption = Optional.empty();
        if (wantEnc) {
            String required = "encryption " + (needEnc ? "required" : "wanted") + " (" + where(encRule) + ")";
            Optional<PolicyConflict> conflict = p.encryptionConflict();
            if (conflict.isPresent()) {
                if (needEnc) {
                    return refuse(conflict.get().setting().name(), required + " but policies conflict: "
                            + conflict.get().reason());
                }
                notes.add("not encrypted: " + conflict.get().reason());
            } else if (certificate instanceof RecipientCertificateFact.DirectoryUnavailable down) {
                return new OutboundDecision.Defer(encRule.setting().name(), required + " and the certificate "
                        + "directory cannot be asked for " + p.recipient() + " (" + down.reason()
                        + "); deferred, never sent in clear");
            } else if (certificate instanceof RecipientCertificateFact.None none) {
                if (needEnc) {
                    return refuse(Settings.REQUIRE_ENCRYPTED.name(), required + " but " + p.recipient()
                            + " has no usable certificate: " + none.reason());
                }
                notes.add("not encrypted: " + p.recipient() + " has no usable certificate (" + none.reason() + ")");
            } else if (certificate instanceof RecipientCertificateFact.Valid valid) {
                EffectiveSetting<Boolean> checkCrl = p.get(Settings.CHECK_CRL_ON_SEND);
                if (valid.revocation() == RevocationStatus.UNKNOWN && checkCrl.value()) {
                    return new OutboundDecision.Defer(Settings.CHECK_CRL_ON_SEND.name(), required + " and the "
                            + "revocation status of " + p.recipient() + "'s certificate cannot be determined; "
                            + "OWACheckCRLOnSend (" + where(checkCrl) + ") defers until the CRL can be fetched");
                }
                NegotiationResult result = negotiator.choose(p.encryptionAlgorithms(),
                        p.requiredEncryptionAlgorithm(), p.negotiation(), p.allowWeakAlgorithms(),
                        valid.capabilities());
                if (result instanceof NegotiationResult.Refused refused) {
                    if (needEnc) {
                        return refuse(Settings.NEGOTIATION.name(), required + " but no allowed algorithm fits "
                                + p.recipient() + ": " + refused.reason() + " ("
                                + where(p.get(Settings.NEGOTIATION)) + ")");
                    }
                    notes.add("not encrypted: " + refused.reason());
                } else if (result instanceof NegotiationResult.Chosen chosen) {
                    encryption = Optional.of(new EncryptionPlan(chosen.algorithm(), valid.certificate(),
                            p.value(Settings.USE_KEY_IDENTIFIER), p.value(Settings.BCC_FORKING),
                            chosen.why()));
                }
            }
        }

        boolean tripleWrap = signing.isPresent() && encryption.isPresent() && p.value(Settings.TRIPLE_WRAP);
        String setting = encryption.isPresent() ? encRule.setting().name()
                : signing.isPresent() ? signRule.setting().name() : "none";
        String reason;
        if (signing.isPresent() && encryption.isPresent()) {
            reason = "signed with " + signing.get().digest() + " and encrypted with " + encryption.get().algorithm();
        } else if (signing.isPresent()) {
            reason = "signed with " + signing.get().digest() + ", not encrypted";
        } else if (encryption.isPresent()) {
            reason = "encrypted with " + encryption.get().algorithm() + ", not signed";
        } else {
            reason = "sent as it is: policy requires neither signing nor encryption";
        }
        Optional<HeaderProtection.Mode> headerProtection = p.value(Settings.HEADER_PROTECTION)
                .mode(signing.isPresent(), encryption.isPresent());
        return new OutboundDecision.Send(signing, encryption, tripleWrap, headerProtection, setting, reason, notes);
    }

    /**
     * Inbound, for one internal recipient. With RequireSignedSMIMEMessages the message must carry a valid signature
     * from a trusted signer with a digest in OWASigningAlgorithms; with RequireEncryptedSMIMEMessages it must have
     * arrived encrypted with an algorithm in OWAEncryptionAlgorithms. A miss is a {@link InboundDecision.Violation}
     * with the recipient's InboundViolationAction.
     */
    public InboundDecision decideInbound(EffectivePolicy p, InboundMessageFacts facts) {
        InboundViolationAction action = p.inboundViolationAction();
        if (p.requireSigned()) {
            String required = "signed mail required (" + where(p.get(Settings.REQUIRE_SIGNED)) + ")";
            String problem = switch (facts.signature()) {
                case InboundMessageFacts.Signature.Unsigned u -> "the message is not signed";
                case InboundMessageFacts.Signature.Invalid i -> "the signature is not valid: " + i.reason();
                case InboundMessageFacts.Signature.Untrusted t -> "the signer's certificate ("
                        + t.signer().subject() + ") is not trusted: " + t.reason();
                case InboundMessageFacts.Signature.Verified v -> digestProblem(p, v.digestOid());
            };
            if (problem != null) {
                return new InboundDecision.Violation(action, Settings.REQUIRE_SIGNED.name(),
                        required + " for " + p.recipient() + " but " + problem);
            }
        }
        if (p.requireEncrypted()) {
            String required = "encrypted mail required (" + where(p.get(Settings.REQUIRE_ENCRYPTED)) + ")";
            String problem = switch (facts.encryption()) {
                case InboundMessageFacts.Encryption.NotEncrypted n -> "the message arrived in clear";
                case InboundMessageFacts.Encryption.Encrypted e -> cipherProblem(p, e);
            };
            if (problem != null) {
                return new InboundDecision.Violation(action, Settings.REQUIRE_ENCRYPTED.name(),
                        required + " for " + p.recipient() + " but " + problem);
            }
        }
        if (p.requireSigned() || p.requireEncrypted()) {
            return new InboundDecision.Accept(p.requireEncrypted() ? Settings.REQUIRE_ENCRYPTED.name()
                    : Settings.REQUIRE_SIGNED.name(), "meets " + p.recipient() + "'s policy");
        }
        return new InboundDecision.Accept("none", "policy requires neither signed nor encrypted mail for "
                + p.recipient());
    }

    /** Whether the gateway may use a key kept in {@code storage} for this pair (AllowSMIMESoftCerts of the key owner). */
    public boolean keyAllowed(EffectivePolicy p, KeyStorage storage) {
        return storage == KeyStorage.HARDWARE || p.allowSoftCerts();
    }

    /**
     * Why the recipient's key kept in {@code storage} may not decrypt mail of this inbound pair (AllowSMIMESoftCerts
     * of the recipient, whose key it is); empty when it may.
     */
    public Optional<String> decryptionKeyRefusal(EffectivePolicy p, KeyStorage storage) {
        if (keyAllowed(p, storage)) {
            return Optional.empty();
        }
        return Optional.of(p.recipient() + "'s decryption key is in a software keystore and AllowSMIMESoftCerts is "
                + "false (" + where(p.get(Settings.ALLOW_SOFT_CERTS)) + "): only a hardware token key may decrypt");
    }

    private static String digestProblem(EffectivePolicy p, String digestOid) {
        Optional<DigestAlgorithm> digest = DigestAlgorithm.byOid(digestOid);
        if (digest.isEmpty()) {
            return "it is signed with an unknown digest algorithm " + digestOid;
        }
        if (!p.signingAlgorithms().contains(digest.get())) {
            return "it is signed with " + digest.get() + ", not one of OWASigningAlgorithms "
                    + p.get(Settings.SIGNING_ALGORITHMS).formattedValue();
        }
        return null;
    }

    private static String cipherProblem(EffectivePolicy p, InboundMessageFacts.Encryption.Encrypted e) {
        Optional<EncryptionAlgorithm> alg = EncryptionAlgorithm.byOid(e.contentAlgorithmOid(), e.keyBits());
        if (alg.isEmpty()) {
            return "it is encrypted with an unknown algorithm " + e.contentAlgorithmOid();
        }
        if (!p.encryptionAlgorithms().contains(alg.get())) {
            return "it is encrypted with " + alg.get() + ", not one of OWAEncryptionAlgorithms "
                    + p.get(Settings.ENCRYPTION_ALGORITHMS).formattedValue();
        }
        return null;
    }

    private static String where(EffectiveSetting<?> s) {
        return s.origins().stream().map(o -> o.side() == null ? o.where() : o.side().label() + " " + o.where())
                .reduce((a, b) -> a + " and " + b).orElse("default");
    }

    private static OutboundDecision.Refuse refuse(String setting, String reason) {
        return new OutboundDecision.Refuse(setting, reason);
    }
}
