package org.smimegw.gateway.policy;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;

import com.codahale.metrics.MetricRegistry;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.gateway.smtp.RecipientPolicyCheck;
import org.smimegw.mailets.policy.CertificateStorePolicyFacts;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.mailets.policy.PolicyDecisions;
import org.smimegw.mailets.policy.PolicyException;
import org.smimegw.mailets.policy.PolicyLoader;
import org.smimegw.mailets.policy.PolicyProvider;
import org.smimegw.mailets.policy.PolicySet;
import org.smimegw.mailets.policy.ReloadablePolicy;
import org.smimegw.mailets.policy.enforce.PolicyDecisionLog;

/**
 * The gateway's S/MIME policy, wired: the policy in force (the {@code policy.file}, reloadable; the built-in
 * defaults without a {@code policy:} section), the facts from the certificate store and validator, the
 * {@link PolicyCheck} the enforcement mailets receive, and the RCPT-time check.
 */
public final class GatewayPolicy {

    private final PolicyProvider provider;
    private final ReloadablePolicy reloadable;
    private final PolicyCheck check;
    private final RecipientPolicyCheck recipientCheck;

    private GatewayPolicy(PolicyProvider provider, ReloadablePolicy reloadable, PolicyCheck check,
                          RecipientPolicyCheck recipientCheck) {
        this.provider = provider;
        this.reloadable = reloadable;
        this.check = check;
        this.recipientCheck = recipientCheck;
    }

    /** Loads the policy file now; a bad file is a {@link PolicyException} with file, line and reason. */
    public static GatewayPolicy create(Optional<PolicySection> section, CertificateStore store,
                                       CertificateValidator validator, Collection<String> internalDomains,
                                       Clock clock, MetricRegistry metrics) throws PolicyException {
        ReloadablePolicy reloadable = null;
        PolicyProvider provider;
        if (section.isPresent()) {
            reloadable = new ReloadablePolicy(new PolicyLoader(), section.get().file());
            provider = reloadable;
        } else {
            PolicySet defaults = PolicySet.defaults();
            provider = () -> defaults;
        }
        PolicyCheck check = new PolicyCheck(provider, new CertificateStorePolicyFacts(store, validator,
                CertificateStorePolicyFacts.domains(new HashSet<>(internalDomains)), clock), new PolicyDecisions());
        RecipientPolicyCheck rcpt = section.isPresent() && section.get().rcptCheck()
                ? new PolicyRecipientCheck(check, new PolicyDecisionLog(metrics)) : null;
        return new GatewayPolicy(provider, reloadable, check, rcpt);
    }

    public PolicyProvider provider() {
        return provider;
    }

    /** The file-backed policy whose {@code reload()} swaps atomically; empty without a {@code policy:} section. */
    public Optional<ReloadablePolicy> reloadable() {
        return Optional.ofNullable(reloadable);
    }

    public PolicyCheck check() {
        return check;
    }

    /** The RCPT TO check, when the {@code policy:} section is present and {@code rcptCheck} is on. */
    public Optional<RecipientPolicyCheck> recipientCheck() {
        return Optional.ofNullable(recipientCheck);
    }
}
