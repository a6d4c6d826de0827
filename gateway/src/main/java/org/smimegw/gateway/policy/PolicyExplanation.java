package org.smimegw.gateway.policy;

import java.time.Clock;
import java.util.Collection;
import java.util.Set;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.mailets.policy.CertificateStorePolicyFacts;
import org.smimegw.mailets.policy.PolicyDecisions;
import org.smimegw.mailets.policy.PolicyExplainer;
import org.smimegw.mailets.policy.PolicyProvider;

/**
 * The text of {@code policy explain --from A --to B}, as the command and the console produce it: the policy, the
 * certificate store and the validator the gateway itself uses, and the configuration's internal domains.
 */
public final class PolicyExplanation {
    private final PolicyExplainer explainer;

    public PolicyExplanation(PolicyProvider policy, CertificateStore store, CertificateValidator validator,
                             Collection<String> internalDomains, Clock clock) {
        CertificateStorePolicyFacts facts = new CertificateStorePolicyFacts(store, validator,
                CertificateStorePolicyFacts.domains(Set.copyOf(internalDomains)), clock);
        this.explainer = new PolicyExplainer(policy, facts, new PolicyDecisions());
    }

    /** The explanation, ending with a newline. */
    public String explain(String from, String to) {
        String text = explainer.explain(from, to);
        return text.endsWith("\n") ? text : text + "\n";
    }
}
