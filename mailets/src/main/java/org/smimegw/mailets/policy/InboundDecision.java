package org.smimegw.mailets.policy;

/** What policy says about an inbound message for one internal recipient: accept, or a violation to act on. */
public sealed interface InboundDecision {

    String outcome();

    String setting();

    String reason();

    record Accept(String setting, String reason) implements InboundDecision {
        @Override
        public String outcome() {
            return "accept";
        }
    }

    /** The recipient's policy is not met: {@code action} (InboundViolationAction) says reject ({@link PolicyStatus#REFUSED}) or quarantine. */
    record Violation(InboundViolationAction action, String setting, String reason) implements InboundDecision {
        @Override
        public String outcome() {
            return action == InboundViolationAction.Reject ? "reject" : "quarantine";
        }

        public String smtpReply() {
            return PolicyStatus.REFUSED.reply(reason);
        }
    }
}
