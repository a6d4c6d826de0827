package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.NegotiationMode;

/**
 * Checks a parsed policy: legacy algorithms only with {@code AllowWeakAlgorithms: true}, and for every entry, in
 * both roles and after inheritance, that its effective settings do not contradict each other. Entries are checked
 * after the entries they inherit from, so a contradiction is reported at the first entry where it appears, at the
 * line of the most specific setting involved.
 */
final class PolicyValidator {

    /** A contradiction: the settings involved and the reason. */
    private record Problem(List<EffectiveSetting<?>> involved, String reason) {
        SettingOrigin blame() {
            return involved.stream().map(EffectiveSetting::origin)
                    .max(Comparator.<SettingOrigin>comparingInt(o -> o.level().ordinal())
                            .thenComparingInt(SettingOrigin::line))
                    .orElseThrow();
        }
    }

    void validate(PolicySet set) throws ConfigFileException {
        List<PolicyEntry> entries = set.entriesInInheritanceOrder();
        checkWeakAlgorithms(set, entries);
        for (PolicyEntry entry : entries) {
            List<PolicyEntry> chain = set.chainOf(entry);
            String address = entry.name() == null ? "" : entry.name();
            Optional<Problem> sending = firstProblem(PolicySet.evaluate(address, chain, Role.SENDING));
            Optional<Problem> receiving = firstProblem(PolicySet.evaluate(address, chain, Role.RECEIVING));
            if (sending.isEmpty() && receiving.isEmpty()) {
                continue;
            }
            Problem p = sending.orElseGet(receiving::get);
            String role = "";
            if (sending.isEmpty()) {
                role = " (for mail it receives)";
            } else if (receiving.isEmpty() || !receiving.get().reason().equals(p.reason())) {
                role = " (for mail it sends)";
            }
            SettingOrigin blame = p.blame();
            int line = blame.line() > 0 ? blame.line() : entry.line();
            throw new ConfigFileException(set.file(), line, entry.where() + ": " + p.reason() + role);
        }
    }

    private static void checkWeakAlgorithms(PolicySet set, List<PolicyEntry> entries) throws ConfigFileException {
        boolean allowed = set.partyPolicy("", Role.SENDING).value(Settings.ALLOW_WEAK_ALGORITHMS);
        if (allowed) {
            return;
        }
        Optional<EffectiveSetting<?>> weak = entries.stream()
                .flatMap(e -> Stream.of(e.direct(), e.sending(), e.receiving()))
                .map(Map::values).flatMap(java.util.Collection::stream)
                .filter(v -> !weakNames(v.value()).isEmpty())
                .min(Comparator.comparingInt(v -> v.origin().line()));
        if (weak.isPresent()) {
            EffectiveSetting<?> v = weak.get();
            List<String> names = weakNames(v.value());
            throw new ConfigFileException(set.file(), v.origin().line(), v.origin().where() + ": "
                    + v.setting().name() + " names " + String.join(", ", names) + ", legacy "
                    + (names.size() == 1 ? "algorithm" : "algorithms")
                    + " refused unless AllowWeakAlgorithms: true is set under global:");
        }
    }

    private static List<String> weakNames(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof DigestAlgorithm d && d.isWeak()) {
            names.add(d.policyName());
        } else if (value instanceof EncryptionAlgorithm a && a.isWeak()) {
            names.add(a.policyName());
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                names.addAll(weakNames(o));
            }
        }
        return names;
    }

    private static Optional<Problem> firstProblem(PartyPolicy p) {
        EffectiveSetting<DigestAlgorithm> digest = p.get(Settings.REQUIRE_SIGNED_ALGORITHM);
        EffectiveSetting<List<DigestAlgorithm>> digests = p.get(Settings.SIGNING_ALGORITHMS);
        EffectiveSetting<EncryptionAlgorithm> cipher = p.get(Settings.REQUIRE_ENCRYPTION_ALGORITHM);
        EffectiveSetting<List<EncryptionAlgorithm>> ciphers = p.get(Settings.ENCRYPTION_ALGORITHMS);
        EffectiveSetting<NegotiationMode> mode = p.get(Settings.NEGOTIATION);
        EffectiveSetting<Boolean> checkCrl = p.get(Settings.CHECK_CRL_ON_SEND);
        EffectiveSetting<Boolean> disableCrl = p.get(Settings.DISABLE_CRL_CHECK);

        if (!ciphers.value().contains(cipher.value())) {
            return Optional.of(new Problem(List.of(cipher, ciphers, mode), "RequireEncryptionSMIMEAlgorithm "
                    + cipher.value() + " (" + cipher.origin().where() + ") is not one of OWAEncryptionAlgorithms "
                    + ciphers.formattedValue() + " (" + ciphers.origin().where() + ")"
                    + (mode.value() == NegotiationMode.BlockNegotiation
                    ? " while AllowSMIMEEncryptionAlgorithmNegotiation is BlockNegotiation (" + mode.origin().where()
                    + "): no algorithm could ever be used" : "")));
        }
        if (!digests.value().contains(digest.value())) {
            return Optional.of(new Problem(List.of(digest, digests), "RequireSignedSMIMEAlgorithm " + digest.value()
                    + " (" + digest.origin().where() + ") is not one of OWASigningAlgorithms "
                    + digests.formattedValue() + " (" + digests.origin().where() + ")"));
        }
        if (mode.value() == NegotiationMode.OnlyStrongAlgorithmNegotiation) {
            if (cipher.value().isWeak()) {
                return Optional.of(new Problem(List.of(cipher, mode), "RequireEncryptionSMIMEAlgorithm "
                        + cipher.value() + " (" + cipher.origin().where() + ") is weaker than "
                        + "OnlyStrongAlgorithmNegotiation (" + mode.origin().where() + ") allows (AES128 and up)"));
            }
            if (digest.value().isWeak()) {
                return Optional.of(new Problem(List.of(digest, mode), "RequireSignedSMIMEAlgorithm "
                        + digest.value() + " (" + digest.origin().where() + ") is weaker than "
                        + "OnlyStrongAlgorithmNegotiation (" + mode.origin().where() + ") allows (SHA256 and up)"));
            }
        }
        if (checkCrl.value() && disableCrl.value()) {
            return Optional.of(new Problem(List.of(checkCrl, disableCrl), "OWACheckCRLOnSend: true ("
                    + checkCrl.origin().where() + ") contradicts OWADisableCRLCheck: true ("
                    + disableCrl.origin().where() + ")"));
        }
        return Optional.empty();
    }
}
