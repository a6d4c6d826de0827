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
import org.smimegw.mailets.policy.PolicyProvider;
import org.smimegw.mailets.policy.PolicySet;
import org.smimegw.mailets.policy.enforce.PolicyDecisionLog;

/**
 * The gateway's S/MIME policy, wired: the policy in force (a {@link PolicyProvider}: the reloadable file, or the
 * built-in defaults), the facts from the certificate store and validator, the {@link PolicyCheck} the enforcement
 * mailets receive, and the RCPT-time check.
 */
public final class GatewayPolicy {

    private final PolicyProvider provider;
    private final PolicyCheck check;
    private final RecipientPolicyCheck recipientCheck;

    private GatewayPolicy(PolicyProvider provider, PolicyCheck check, RecipientPolicyCheck recipientCheck) {
        this.provider = provider;
        this.check = check;
        this.recipientCheck = recipientCheck;
    }

    /**
     * @param provider  the policy in force now, asked per decision (so a reload takes effect for the next one)
     * @param rcptCheck whether to offer the RCPT TO check
     */
    public static GatewayPolicy create(PolicyProvider provider, boolean rcptCheck, CertificateStore store,
                                       CertificateValidator validator, Collection<String> internalDomains,
                                       Clock clock, MetricRegistry metrics) {
        PolicyCheck check = new PolicyCheck(provider, new CertificateStorePolicyFacts(store, validator,
                CertificateStorePolicyFacts.domains(new HashSet<>(internalDomains)), clock), new PolicyDecisions());
        return new GatewayPolicy(provider, check,
                rcptCheck ? new PolicyRecipientCheck(check, new PolicyDecisionLog(metrics)) : null);
    }

    /** The built-in policy (nothing required), for a gateway without a {@code policy:} section. */
    public static PolicyProvider defaults() {
        PolicySet defaults = PolicySet.defaults();
        return () -> defaults;
    }

    public PolicyProvider provider() {
        return provider;
    }

    public PolicyCheck check() {
        return check;
    }

    /** The RCPT TO check, when asked for. */
    public Optional<RecipientPolicyCheck> recipientCheck() {
        return Optional.ofNullable(recipientCheck);
    }
}
