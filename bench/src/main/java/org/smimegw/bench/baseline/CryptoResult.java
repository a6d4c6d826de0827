package org.smimegw.bench.baseline;

/**
 * Throughput of a sign+encrypt loop outside the gateway.
 *
 * @param name          e.g. "openssl cms" or "raw BC"
 * @param keyType       the signer's and recipients' key type
 * @param messageBytes  message size
 * @param recipients    recipients encrypted to
 * @param workers       parallel workers
 * @param seconds       measured time
 * @param messages      messages signed and encrypted
 * @param perSecond     messages per second
 * @param cpuMillisPerMessage CPU time per message (worker threads, or the openssl processes), independent of how
 *                      busy the machine was
 * @param note          what exactly ran
 */
public record CryptoResult(String name, String keyType, int messageBytes, int recipients, int workers, double seconds,
                           long messages, double perSecond, double cpuMillisPerMessage, String note) {
}
