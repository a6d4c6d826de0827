package org.smimegw.mailets.crypto;

import org.smimegw.certstore.UserKey;

/** A key the store holds but policy does not let decrypt this mail, and why (e.g. a software key under AllowSMIMESoftCerts: false). */
public record RefusedKey(UserKey key, String reason) {
}
