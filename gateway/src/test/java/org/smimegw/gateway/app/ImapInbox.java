package org.smimegw.gateway.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

/** Reads a mailbox of the embedded mailbox over IMAP, as a tester's mail client would (login = password = address). */
public final class ImapInbox {
    private ImapInbox() {
    }

    /** Every message in the INBOX of {@code address}, copied so that they outlive the IMAP session. */
    public static List<MimeMessage> read(EmbeddedMailbox mailbox, String address) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", mailbox.imapAddress().getPort(), address, address);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<MimeMessage> messages = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                messages.add(new MimeMessage((MimeMessage) m));
            }
            inbox.close(false);
            return messages;
        } finally {
            store.close();
        }
    }
}
