package org.smimegw.gateway.container;

import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/** Test mailet: records the mail in the injected {@link Recorder} under its {@code tag} parameter. */
public class RecordMailet extends GenericMailet {
    private final Recorder recorder;
    private String tag;

    @Inject
    public RecordMailet(Recorder recorder) {
        this.recorder = recorder;
    }

    public Set<String> getAllowedInitParameters() {
        return Set.of("tag");
    }

    @Override
    public void init() throws MessagingException {
        tag = getInitParameter("tag", "record");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        recorder.record(tag, mail);
    }
}
