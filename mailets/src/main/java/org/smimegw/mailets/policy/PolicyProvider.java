package org.smimegw.mailets.policy;

/** Hands out the policy in force now; mailets ask it per mail so a reload takes effect for the next one. */
@FunctionalInterface
public interface PolicyProvider {
    PolicySet current();
}
