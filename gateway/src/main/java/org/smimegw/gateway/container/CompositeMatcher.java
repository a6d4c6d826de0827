package org.smimegw.gateway.container;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.Matcher;
import org.apache.mailet.MatcherConfig;

/**
 * A matcher combining the recipients matched by its children, as James's composite matchers do:
 * And = matched by all, Or = matched by any, Not = matched by none, Xor = matched by an odd number of them.
 * {@code notmatch="X"} is a Not around X.
 */
final class CompositeMatcher implements Matcher {

    enum Operator {
        AND, OR, NOT, XOR;

        /** Recognises And/Or/Not/Xor, also as James's {@code org.apache.james.mailetcontainer.impl.matchers.*}. */
        static Optional<Operator> parse(String name) {
            String simple = name.startsWith("org.apache.james.mailetcontainer.impl.matchers.")
                    ? name.substring(name.lastIndexOf('.') + 1) : name;
            for (Operator op : values()) {
                if (op.displayName().equals(simple)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }

        String displayName() {
            return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
        }
    }

    private final Operator operator;
    private final List<Matcher> children;
    private MatcherConfig config;

    CompositeMatcher(Operator operator, List<Matcher> children) {
        this.operator = operator;
        this.children = List.copyOf(children);
    }

    Operator operator() {
        return operator;
    }

    List<Matcher> children() {
        return children;
    }

    @Override
    public void init(MatcherConfig config) {
        this.config = config;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        Set<MailAddress> all = new LinkedHashSet<>(mail.getRecipients());
        Set<MailAddress> result;
        switch (operator) {
            case AND -> {
                result = new LinkedHashSet<>(all);
                for (Matcher child : children) {
                    result.retainAll(matched(child, mail));
                    if (result.isEmpty()) {
                        break;
                    }
                }
            }
            case OR -> {
                result = new LinkedHashSet<>();
                for (Matcher child : children) {
                    result.addAll(matched(child, mail));
                }
            }
            case NOT -> {
                result = new LinkedHashSet<>(all);
                for (Matcher child : children) {
                    result.removeAll(matched(child, mail));
                }
            }
            case XOR -> {
                result = new LinkedHashSet<>();
                for (Matcher child : children) {
                    for (MailAddress address : matched(child, mail)) {
                        if (!result.remove(address)) {
                            result.add(address);
                        }
                    }
                }
            }
            default -> throw new IllegalStateException(operator.toString());
        }
        result.retainAll(all);
        return new ArrayList<>(result);
    }

    private static Collection<MailAddress> matched(Matcher matcher, Mail mail) throws MessagingException {
        Collection<MailAddress> matched = matcher.match(mail);
        return matched == null ? List.of() : matched;
    }

    /** Children are destroyed by the container, which owns every matcher it created. */
    @Override
    public void destroy() {
    }

    @Override
    public MatcherConfig getMatcherConfig() {
        return config;
    }

    @Override
    public String getMatcherInfo() {
        return operator.displayName() + " of " + children.size() + " matcher(s)";
    }
}
