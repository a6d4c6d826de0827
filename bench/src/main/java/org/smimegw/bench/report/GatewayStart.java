package org.smimegw.bench.report;

/**
 * One start of a gateway process.
 *
 * @param launchToReadyMillis from launching the process to its "gateway ready" line, as the bench saw it
 * @param selfReportedMillis  "ms since JVM start" from the ready line, -1 when it did not say
 * @param withCache           started with the launcher's start-up cache (written by an earlier start)
 */
public record GatewayStart(double launchToReadyMillis, double selfReportedMillis, boolean withCache) {
}
