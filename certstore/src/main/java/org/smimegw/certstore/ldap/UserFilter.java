package org.smimegw.certstore.ldap;

import java.util.Objects;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * {@code certstore.ldap.filter}: the search filter that finds a user's entry by e-mail address, every {@code {0}}
 * replaced by the address escaped per RFC 4515 (so {@code *}, {@code (}, {@code )} and {@code \} cannot inject).
 */
final class UserFilter {
    private final String template;

    /** @throws IllegalArgumentException when the template has no {@code {0}} or is not a valid filter */
    UserFilter(String template) {
        if (!template.contains("{0}")) {
            throw new IllegalArgumentException("certstore.ldap.filter must contain {0} for the address: " + template);
        }
        try {
            Filter.create(template.replace("{0}", "user@example.com"));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("certstore.ldap.filter is not a valid LDAP filter: " + template
                    + " (" + e.getExceptionMessage() + ")", e);
        }
        this.template = template;
    }

    /** The filter for {@code address} (checked by {@link #checkAddress}). */
    Filter forAddress(String address) {
        String a = checkAddress(address);
        try {
            return Filter.create(template.replace("{0}", Filter.encodeValue(a)));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("certstore.ldap.filter: not a valid filter for " + a, e);
        }
    }

    /** The address trimmed; an empty one, one without a local part or with control characters is refused. */
    static String checkAddress(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.trim();
        if (a.isEmpty() || a.indexOf('@') <= 0 || a.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("not an e-mail address: '" + address + "'");
        }
        return a;
    }
}
