package org.smimegw.gateway.container;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import jakarta.inject.Inject;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Test mailet taking the gateway's MetricRegistry through its @Inject constructor. */
public class MeteredMailet extends GenericMailet {
    private final Counter seen;

    @Inject
    public MeteredMailet(MetricRegistry metrics) {
        this.seen = metrics.counter("test.metered.seen");
    }

    @Override
    public void service(Mail mail) {
        seen.inc(mail.getRecipients().size());
    }
}
