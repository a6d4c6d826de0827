package org.smimegw.gateway.container;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

/** Test service injected into {@link RecordMailet}s: what each tagged mailet saw. */
public final class Recorder {
    public record Seen(String tag, String mailName, List<String> recipients, String state, List<String> headers) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String heldTag;

    /** Mailets recording under {@code tag} wait in {@link #record} until {@link #release()} (at most 2 minutes). */
    public void hold(String tag) {
        heldTag = tag;
    }

    public void release() {
        released.countDown();
    }

    void record(String tag, Mail mail) throws MessagingException {
        if (tag.equals(heldTag)) {
            try {
                released.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> recipients = new ArrayList<>(mail.getRecipients().stream().map(MailAddress::asString).toList());
        Collections.sort(recipients);
        List<String> headers = mail.getMessage() == null ? List.of()
                : Collections.list(mail.getMessage().getAllHeaderLines());
        seen.add(new Seen(tag, mail.getName(), recipients, mail.getState(), headers));
    }

    public List<Seen> all() {
        return List.copyOf(seen);
    }

    public List<Seen> byTag(String tag) {
        return seen.stream().filter(s -> s.tag().equals(tag)).toList();
    }

    /** Recipients seen by a tag, all mails together, sorted. */
    public List<String> recipientsAt(String tag) {
        List<String> all = new ArrayList<>();
        byTag(tag).forEach(s -> all.addAll(s.recipients()));
        Collections.sort(all);
        return all;
    }
}
