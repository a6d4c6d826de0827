package org.smimegw.certstore;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The trust collections of several sources (the embedded store's, the directory's) as one: anchors, intermediates and
 * CRLs of all, each once (a certificate that is an anchor anywhere is not also an intermediate). The merged instance is
 * kept while every source returns the instance it returned before, so a validator asking on every call rebuilds its
 * index only when something changed. When only one source has anything (the directory has no trust subtree, or has
 * not been read yet), that source's collection is passed through as it is. Safe for concurrent use.
 */
public final class MergedTrust implements Supplier<TrustCollection> {

    private record Merged(List<TrustCollection> inputs, TrustCollection result) {
    }

    private final List<Supplier<TrustCollection>> sources;
    private volatile Merged last;

    public MergedTrust(List<Supplier<TrustCollection>> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public TrustCollection get() {
        // asked for every validation: loops, not streams
        List<TrustCollection> inputs = new ArrayList<>(sources.size());
        TrustCollection onlyNonEmpty = null;
        int nonEmpty = 0;
        for (Supplier<TrustCollection> source : sources) {
            TrustCollection t = source.get();
            inputs.add(t);
            if (!isEmpty(t)) {
                nonEmpty++;
                onlyNonEmpty = t;
            }
        }
        if (nonEmpty <= 1) {
            return nonEmpty == 0 ? inputs.get(0) : onlyNonEmpty;
        }
        Merged m = last;
        if (m != null && sameInstances(m.inputs(), inputs)) {
            return m.result();
        }
        Set<X509Certificate> roots = new LinkedHashSet<>();
        Set<X509Certificate> intermediates = new LinkedHashSet<>();
        Set<X509CRL> crls = new LinkedHashSet<>();
        for (TrustCollection t : inputs) {
            roots.addAll(t.roots());
            intermediates.addAll(t.intermediates());
            crls.addAll(t.crls());
        }
        intermediates.removeAll(roots);
        TrustCollection result = new TrustCollection(List.copyOf(roots), List.copyOf(intermediates),
                List.copyOf(crls));
        last = new Merged(inputs, result);
        return result;
    }

    private static boolean isEmpty(TrustCollection t) {
        return t.roots().isEmpty() && t.intermediates().isEmpty() && t.crls().isEmpty();
    }

    private static boolean sameInstances(List<TrustCollection> a, List<TrustCollection> b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
