package org.smimegw.gateway.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds the addresses that a domain's mail goes to (RFC 5321 5.1), with dnsjava: the MX records in preference order,
 * shuffled among equal preference, each host's A then AAAA addresses; a domain without MX records is its own
 * exchanger (its A/AAAA records). Every answer, negative ones included, is kept in a dnsjava {@link Cache} for its
 * TTL. What cannot be delivered says why, as a delivery outcome:
 * <ul>
 *   <li>a null MX (RFC 7505: one MX record with target {@code .}): failed, 5.1.10;</li>
 *   <li>the domain does not exist (NXDOMAIN): failed, 5.1.2;</li>
 *   <li>neither MX nor address records, or no address for any MX host: failed, 5.4.4;</li>
 *   <li>the DNS did not answer or answered with an error (timeout, SERVFAIL): deferred, 4.4.3.</li>
 * </ul>
 */
final class MxResolver {

    /** One address of one mail exchanger; {@code host} is the exchanger's name, for logs. */
    record Exchanger(String host, int preference, InetAddress address) {
        /** host[address], e.g. {@code mx1.example.com[192.0.2.25]}. */
        String label() {
            return host + "[" + address.getHostAddress() + "]";
        }
    }

    /** What a lookup found. */
    sealed interface Answer {
    }

    /** Addresses to try, in order (at most {@code maxAddresses}). */
    record Exchangers(List<Exchanger> addresses) implements Answer {
    }

    /** No address to try: the outcome for every recipient of the domain. */
    record Failure(RecipientResult.Outcome outcome, String status, String reason) implements Answer {
        RecipientResult resultFor(String recipient) {
            return new RecipientResult(recipient, outcome, status, reason);
        }
    }

    private final Resolver resolver;
    private final Cache cache;
    private final Random random;
    private final int maxAddresses;

    /** Asks the configured DNS servers (the system's when none are configured), with a fresh cache. */
    MxResolver(DeliveryConfig.Mx config) {
        this(resolver(config), new Cache(), new Random(), config.maxAddresses());
    }

    /**
     * @param resolver     the DNS servers to ask
     * @param cache        keeps answers for their TTL
     * @param random       orders exchangers of equal preference
     * @param maxAddresses at most this many addresses are returned
     */
    MxResolver(Resolver resolver, Cache cache, Random random, int maxAddresses) {
        this.resolver = resolver;
        this.cache = cache;
        this.random = random;
        this.maxAddresses = maxAddresses;
    }

    private static Resolver resolver(DeliveryConfig.Mx config) {
        ExtendedResolver resolver;
        if (config.dnsServers().isEmpty()) {
            resolver = new ExtendedResolver(); // the system's name servers (resolv.conf and the like)
        } else {
            List<Resolver> servers = new ArrayList<>();
            for (String server : config.dnsServers()) {
                servers.add(new SimpleResolver(new InetSocketAddress(server, config.dnsPort())));
            }
            resolver = new ExtendedResolver(servers);
        }
        resolver.setTimeout(Duration.ofSeconds(config.dnsTimeoutSeconds()));
        return resolver;
    }

    /** The exchangers of {@code domain} (lower case, without trailing dot), or why there are none. */
    Answer resolve(String domain) {
        Name name;
        try {
            name = Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            return new Failure(RecipientResult.Outcome.FAILED, "5.1.2", "'" + domain + "' is not a domain name");
        }
        Lookup mx = lookup(name, Type.MX);
        Record[] records = mx.run();
        return switch (mx.getResult()) {
            case Lookup.SUCCESSFUL -> exchangers(domain, records);
            // RFC 5321 5.1: without MX records the domain itself is the exchanger, as if it had "MX 0 domain"
            case Lookup.TYPE_NOT_FOUND -> addresses(List.of(new MXRecord(name, DClass.IN, 0, 0, name)),
                    "addresses of " + domain, "domain " + domain + " has neither MX nor address records");
            case Lookup.HOST_NOT_FOUND -> new Failure(RecipientResult.Outcome.FAILED, "5.1.2",
                    "domain " + domain + " does not exist (DNS: NXDOMAIN)");
            default -> new Failure(RecipientResult.Outcome.DEFERRED, "4.4.3",
                    "DNS lookup of the MX records of " + domain + " failed: " + mx.getErrorString());
        };
    }

    private Answer exchangers(String domain, Record[] records) {
        List<MXRecord> hosts = new ArrayList<>();
        boolean nullMx = false;
        for (Record r : records) {
            if (r instanceof MXRecord m) {
                if (m.getTarget().equals(Name.root)) {
                    nullMx = true;
                } else {
                    hosts.add(m);
                }
            }
        }
        if (nullMx && hosts.isEmpty()) {
            return new Failure(RecipientResult.Outcome.FAILED, "5.1.10",
                    "domain " + domain + " accepts no mail (null MX, RFC 7505)");
        }
        Collections.shuffle(hosts, random);  // then a stable sort: random order among equal preference
        hosts.sort(Comparator.comparingInt(MXRecord::getPriority));
        return addresses(hosts, "MX hosts of " + domain, "no MX host of " + domain + " has an address");
    }

    /**
     * The addresses of {@code hosts} in their order, at most {@code maxAddresses}; none: deferred when a lookup
     * failed temporarily ("DNS lookup of {@code what} failed"), else failed with {@code noAddress}.
     */
    private Answer addresses(List<MXRecord> hosts, String what, String noAddress) {
        List<Exchanger> addresses = new ArrayList<>();
        String temporary = null;
        for (MXRecord host : hosts) {
            String failure = addAddresses(host.getTarget(), host.getPriority(), addresses);
            temporary = temporary == null ? failure : temporary;
            if (addresses.size() >= maxAddresses) {
                return new Exchangers(List.copyOf(addresses.subList(0, maxAddresses)));
            }
        }
        if (!addresses.isEmpty()) {
            return new Exchangers(List.copyOf(addresses));
        }
        return temporary != null
                ? new Failure(RecipientResult.Outcome.DEFERRED, "4.4.3", "DNS lookup of the " + what + " failed: "
                        + temporary)
                : new Failure(RecipientResult.Outcome.FAILED, "5.4.4", noAddress);
    }

    /**
     * Adds the A, then AAAA addresses of {@code host}; returns the error of a lookup that failed temporarily (the
     * host may have addresses after all), else null.
     */
    private String addAddresses(Name host, int preference, List<Exchanger> addresses) {
        String temporary = null;
        String hostName = host.toString(true);
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(host, type);
            Record[] records = lookup.run();
            switch (lookup.getResult()) {
                case Lookup.SUCCESSFUL -> {
                    for (Record r : records) {
                        InetAddress address = r instanceof ARecord a ? a.getAddress()
                                : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                        if (address != null) {
                            addresses.add(new Exchanger(hostName, preference, address));
                        }
                    }
                }
                case Lookup.TRY_AGAIN, Lookup.UNRECOVERABLE -> temporary = temporary != null ? temporary
                        : hostName + " " + Type.string(type) + ": " + lookup.getErrorString();
                default -> { } // no such host or no address of this type
            }
        }
        return temporary;
    }

    private Lookup lookup(Name name, int type) {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setHostsFileParser(null); // DNS only: /etc/hosts does not route mail
        return lookup;
    }
}
