package org.smimegw.gateway.container;

import java.util.function.Supplier;

/**
 * Where the {@link PipelineRunner} gets the container for one mail. The runner holds the returned {@link Lease}
 * while the mail and every copy split off it run, and closes it afterwards, so a source that swaps containers on
 * reload knows when the old one has no mail in flight any more and may be destroyed.
 */
@FunctionalInterface
public interface ContainerSource {

    /** The container to run the next mail on, held until the lease is closed. */
    Lease acquire();

    /** One mail's hold on a container. */
    interface Lease extends AutoCloseable {
        MailetContainer container();

        /** The mail finished on {@link #container()} (successfully or not). */
        @Override
        void close();
    }

    /** A source without leases: whatever the supplier returns now (its owner destroys containers itself). */
    static ContainerSource of(Supplier<MailetContainer> supplier) {
        return () -> {
            MailetContainer container = supplier.get();
            return new Lease() {
                @Override
                public MailetContainer container() {
                    return container;
                }

                @Override
                public void close() {
                }
            };
        };
    }
}
