package org.smimegw.gateway.container;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.codahale.metrics.Timer;
import jakarta.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.spool.LocalErrors;

/**
 * The mailets of one {@code <processor state="...">}, run in order. A matcher that matches part of the
 * recipients splits the mail: the matched ones go through the mailet, a copy with the others continues with the
 * next mailet. A mailet that changes the state sends the mail to that processor; GHOST ends it; a mail that
 * reaches the end of the processor unchanged is dropped (GHOST) with a warning, as in James.
 */
final class MailetProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(MailetProcessor.class);

    /** A mail to run in a processor starting at a step (0-based); hops = processors entered so far. */
    record WorkItem(Mail mail, String processor, int start, int hops) {
    }

    private final String name;
    private final List<MailetStep> steps;
    private final Timer timer;

    MailetProcessor(String name, List<MailetStep> steps, Timer timer) {
        this.name = name;
        this.steps = List.copyOf(steps);
        this.timer = timer;
    }

    String name() {
        return name;
    }

    List<MailetStep> steps() {
        return steps;
    }

    /** Runs {@code mail} from step {@code start}; follow-up work (copies, other processors) goes to {@code work}. */
    void run(Mail mail, int start, int hops, Deque<WorkItem> work) throws MessagingException {
        try (Timer.Context ignored = timer.time()) {
            for (int i = start; i < steps.size(); i++) {
                MailetStep step = steps.get(i);
                Collection<MailAddress> matched = match(step, mail);
                if (matched == null) {
                    // the matcher failed and the mail was routed away by onMatchException
                    routeAfterChange(mail, hops, work);
                    return;
                }
                if (matched.isEmpty()) {
                    continue;
                }
                if (matched.size() < mail.getRecipients().size()) {
                    Mail rest = mail.duplicate();
                    List<MailAddress> unmatched = new ArrayList<>(mail.getRecipients());
                    unmatched.removeAll(matched);
                    rest.setRecipients(unmatched);
                    mail.setRecipients(matched);
                    LOG.debug("{}: {} split, {} recipient(s) continue as {}", name, step.description(),
                            unmatched.size(), rest.getName());
                    work.addLast(new WorkItem(rest, name, i + 1, hops));
                }
                service(step, mail);
                if (mail.getRecipients().isEmpty() && !Mail.GHOST.equals(mail.getState())) {
                    LOG.debug("{}: no recipients left after {}, dropped", name, step.description());
                    mail.setState(Mail.GHOST);
                }
                if (!name.equals(mail.getState())) {
                    routeAfterChange(mail, hops, work);
                    return;
                }
            }
            LOG.warn("mail {} reached the end of processor {} and is dropped (GHOST); "
                    + "end the processor with a mailet that routes or consumes every mail", mail.getName(), name);
            mail.setState(Mail.GHOST);
        }
    }

    private static void routeAfterChange(Mail mail, int hops, Deque<WorkItem> work) {
        if (!Mail.GHOST.equals(mail.getState())) {
            work.addFirst(new WorkItem(mail, mail.getState(), 0, hops + 1));
        }
    }

    /** The matched recipients (a subset of the mail's), or null when the mail was routed away by an exception. */
    private Collection<MailAddress> match(MailetStep step, Mail mail) throws MessagingException {
        Collection<MailAddress> result;
        try {
            result = step.matcher().match(mail);
        } catch (MessagingException | RuntimeException e) {
            step.matcherExceptions().inc();
            if (LocalErrors.isTemporary(e)) {
                throw asMessagingException(e); // disk full: the run stops and is retried, whatever the policy says
            }
            ExceptionPolicy policy = step.onMatchException();
            switch (policy.kind()) {
                case NOMATCH, IGNORE -> {
                    LOG.warn("{}: matcher of {} failed, treated as no match: {}", name, step.description(),
                            ErrorRedaction.redact(e).toString());
                    return List.of();
                }
                case MATCHALL -> {
                    LOG.warn("{}: matcher of {} failed, treated as matching all: {}", name, step.description(),
                            ErrorRedaction.redact(e).toString());
                    return List.copyOf(mail.getRecipients());
                }
                case PROPAGATE -> throw asMessagingException(e);
                case PROCESSOR -> {
                    if (policy.processor().equals(name)) {
                        throw failedInOwnTarget("matcher of " + step.description(), e);
                    }
                    recordError(mail, "matcher of " + step.description(), e, policy.processor());
                    return null;
                }
                default -> throw new IllegalStateException(policy.toString());
            }
        }
        if (result == null || result.isEmpty()) {
            return List.of();
        }
        Set<MailAddress> matched = new LinkedHashSet<>(result);
        matched.retainAll(mail.getRecipients());
        return new ArrayList<>(matched);
    }

    private void service(MailetStep step, Mail mail) throws MessagingException {
        try (Timer.Context ignored = step.timer().time()) {
            step.mailet().service(mail);
        } catch (MessagingException | RuntimeException e) {
            step.mailetExceptions().inc();
            if (LocalErrors.isTemporary(e)) {
                // disk full or I/O error: not the mail's fault; the run stops and is retried (never the error
                // processor, which could only fail the same way or keep the mail as failed)
                throw asMessagingException(e);
            }
            ExceptionPolicy policy = step.onMailetException();
            switch (policy.kind()) {
                case IGNORE -> LOG.warn("{}: mailet {} failed, ignored: {}", name, step.description(),
                        ErrorRedaction.redact(e).toString());
                case PROPAGATE -> throw asMessagingException(e);
                case PROCESSOR -> {
                    if (policy.processor().equals(name)) {
                        throw failedInOwnTarget("mailet " + step.description(), e);
                    }
                    recordError(mail, "mailet " + step.description(), e, policy.processor());
                }
                default -> throw new IllegalStateException(policy.toString());
            }
        }
    }

    /** Logs and records the failure (never with text a MIME parser quoted from the mail: {@link ErrorRedaction}). */
    private void recordError(Mail mail, String offender, Exception e, String nextState) {
        Throwable logged = ErrorRedaction.redact(e);
        LOG.error("{}: {} failed, mail {} moves to processor {}: {}", name, offender, mail.getName(), nextState,
                logged.toString(), logged);
        mail.setErrorMessage("Exception calling " + offender + " in processor " + name + ": "
                + ErrorRedaction.message(e));
        mail.setAttribute(new Attribute(Mail.MAILET_ERROR, AttributeValue.ofUnserializable(logged)));
        mail.setState(nextState);
    }

    /**
     * A failure inside the processor the failure would route to (typically in {@code error}): routing there again
     * could drop the mail at the end of the processor, so the run fails and the runner retries it later.
     */
    private MessagingException failedInOwnTarget(String offender, Exception e) {
        Throwable logged = ErrorRedaction.redact(e);
        return new MessagingException(offender + " failed inside processor " + name + ", which is its own "
                + "exception target: " + ErrorRedaction.message(e), logged instanceof Exception x ? x : e);
    }

    /** What the pipeline runner records for a propagated failure (redacted: {@link ErrorRedaction}). */
    private static MessagingException asMessagingException(Exception e) {
        Throwable logged = ErrorRedaction.redact(e);
        if (logged == e && e instanceof MessagingException me) {
            return me;
        }
        return new MessagingException(logged.getMessage() == null ? e.getClass().getName() : logged.getMessage(),
                logged instanceof Exception x ? x : e);
    }
}
