package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A loaded, validated policy.yaml: immutable, safe to share between threads, swapped whole on reload.
 *
 * <p>Lookup for an address {@code local@domain} walks, from most to least specific: the user entry, the exact domain
 * entry, the matching wildcard entries ({@code *.example.com} matches every subdomain of example.com at any depth, not
 * example.com itself; a longer suffix is more specific), global, the built-in default. The first level that sets a
 * setting wins; within a level the role's block ({@code Sending:} / {@code Receiving:}) wins over the entry's direct
 * settings.
 */
public final class PolicySet {

    private final String file;
    private final PolicyEntry global;
    private final Map<String, PolicyEntry> domains;
    private final List<PolicyEntry> wildcards;
    private final Map<String, PolicyEntry> users;

    PolicySet(String file, PolicyEntry global, Map<String, PolicyEntry> domains, List<PolicyEntry> wildcards,
              Map<String, PolicyEntry> users) {
        this.file = file;
        this.global = global;
        this.domains = Map.copyOf(domains);
        // least specific (shortest suffix) first
        this.wildcards = wildcards.stream().sorted(Comparator.comparingInt(e -> e.name().length())).toList();
        this.users = Map.copyOf(users);
    }

    /** The built-in defaults only (no file): what a gateway without policy.yaml enforces. */
    public static PolicySet defaults() {
        PolicyEntry empty = new PolicyEntry(PolicyLevel.GLOBAL, null, 0, Map.of(), Map.of(), Map.of());
        return new PolicySet("(defaults)", empty, Map.of(), List.of(), Map.of());
    }

    /** The file this policy was loaded from, as named in errors and origins. */
    public String file() {
        return file;
    }

    public int domainEntries() {
        return domains.size() + wildcards.size();
    }

    public int userEntries() {
        return users.size();
    }

    /** The policy of {@code address} for mail it sends ({@link Role#SENDING}) or receives ({@link Role#RECEIVING}). */
    public PartyPolicy partyPolicy(String address, Role role) {
        String a = normalize(address);
        return evaluate(a, chain(domainOf(a), a), role);
    }

    /**
     * The pair's policy for mail the gateway sends on the sender's behalf (internal sender; the recipient internal or
     * external): the sender's Sending policy combined with the recipient's Receiving policy.
     */
    public EffectivePolicy resolveOutbound(String sender, String recipient) {
        return resolve(MailDirection.OUTBOUND, sender, recipient);
    }

    /** The pair's policy for mail arriving for an internal recipient from an external sender. */
    public EffectivePolicy resolveInbound(String sender, String recipient) {
        return resolve(MailDirection.INBOUND, sender, recipient);
    }

    public EffectivePolicy resolve(MailDirection direction, String sender, String recipient) {
        return EffectivePolicy.combine(direction, partyPolicy(sender, Role.SENDING),
                partyPolicy(recipient, Role.RECEIVING));
    }

    /** Entries that apply to {@code domain} / {@code user}, least specific first (global first). */
    List<PolicyEntry> chain(String domain, String user) {
        List<PolicyEntry> chain = new ArrayList<>();
        chain.add(global);
        for (PolicyEntry w : wildcards) {
            String suffix = w.name().substring(1); // ".example.com"
            if (domain.endsWith(suffix) && domain.length() > suffix.length()) {
                chain.add(w);
            }
        }
        PolicyEntry d = domains.get(domain);
        if (d != null) {
            chain.add(d);
        }
        PolicyEntry u = user == null ? null : users.get(user);
        if (u != null) {
            chain.add(u);
        }
        return chain;
    }

    static PartyPolicy evaluate(String address, List<PolicyEntry> chain, Role role) {
        Map<Setting<?>, EffectiveSetting<?>> values = new HashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            values.put(setting, lookup(setting, chain, role));
        }
        return new PartyPolicy(address, role, values);
    }

    private static <T> EffectiveSetting<?> lookup(Setting<T> setting, List<PolicyEntry> chain, Role role) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            EffectiveSetting<?> v = chain.get(i).lookup(setting, role);
            if (v != null) {
                return v;
            }
        }
        return new EffectiveSetting<>(setting, setting.defaultValue(), SettingOrigin.defaultValue());
    }

    /** Every entry, in the order the loader validates them (each after the entries it inherits from). */
    List<PolicyEntry> entriesInInheritanceOrder() {
        List<PolicyEntry> all = new ArrayList<>();
        all.add(global);
        all.addAll(wildcards);
        domains.values().stream().sorted(Comparator.comparingInt(PolicyEntry::line)).forEach(all::add);
        users.values().stream().sorted(Comparator.comparingInt(PolicyEntry::line)).forEach(all::add);
        return all;
    }

    /** The chain an entry itself inherits through (ending with the entry). */
    List<PolicyEntry> chainOf(PolicyEntry entry) {
        return switch (entry.level()) {
            case GLOBAL, DEFAULT -> List.of(global);
            // "*.x.com" taken as a domain name matches itself and the shorter wildcards
            case WILDCARD_DOMAIN, DOMAIN -> chain(entry.name(), null);
            case USER -> chain(domainOf(entry.name()), entry.name());
        };
    }

    static String normalize(String address) {
        if (address == null) {
            return "";
        }
        String a = address.trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        return a.toLowerCase(Locale.ROOT);
    }

    static String domainOf(String normalizedAddress) {
        int at = normalizedAddress.lastIndexOf('@');
        return at < 0 ? "" : normalizedAddress.substring(at + 1);
    }
}
