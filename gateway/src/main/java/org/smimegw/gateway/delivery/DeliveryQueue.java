package org.smimegw.gateway.delivery;

import org.apache.mailet.Mail;

import org.smimegw.gateway.spool.SpoolException;

/**
 * Hands a processed mail to delivery: the message and its remaining recipients are written durably to the
 * OUTGOING spool area before this returns; delivery to the next hop happens asynchronously with retries.
 */
public interface DeliveryQueue {
    void enqueue(Mail mail) throws SpoolException;
}
