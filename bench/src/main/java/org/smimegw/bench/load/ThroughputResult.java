package org.smimegw.bench.load;

import java.util.List;

/**
 * The figures of one load measurement through one system under test.
 *
 * @param name              scenario name, e.g. "gateway sign+encrypt"
 * @param sut               system under test ("sink only", "postfix", "gateway")
 * @param messageBytes      size of one message as sent
 * @param recipients        recipients per message
 * @param sessions          concurrent SMTP sessions
 * @param ratePerSecond     pacing, 0 when unpaced
 * @param seconds           sending time
 * @param accepted          messages accepted (250 after DATA)
 * @param delivered         of those, how many arrived at the sink before the drain timeout
 * @param failed            refused or broken
 * @param acceptedPerSecond accepted / sending time
 * @param deliveredPerSecond delivered / (last arrival − start): the sustained end-to-end throughput
 * @param megabytesPerSecond delivered message bytes per second (MB = 10^6 bytes)
 * @param accept            accept latency (end of DATA → 250) in ms
 * @param endToEnd          accepted → arrived at the sink, in ms
 * @param sutCpuPercent     the SUT's process tree CPU over the measurement, % of one core
 * @param sutCpuMillisPerMessage SUT CPU milliseconds per delivered message
 * @param benchCpuPercent   the bench JVM's own CPU (generator + sink), % of one core
 * @param machineBusyPercent all CPUs of the machine, % busy (includes other users of a shared machine)
 * @param peakHeapMb        the SUT's peak heap from its GC log, -1 when unknown
 * @param sinkSaw           counts of the top-level Content-Type / X-SMIME-* values the sink received (what the
 *                          relay did to the messages)
 * @param errors            the first few errors
 */
public record ThroughputResult(String name, String sut, int messageBytes, int recipients, int sessions,
                               double ratePerSecond, double seconds, long accepted, long delivered, long failed,
                               double acceptedPerSecond, double deliveredPerSecond, double megabytesPerSecond,
                               LatencyStats.Summary accept, LatencyStats.Summary endToEnd, double sutCpuPercent,
                               double sutCpuMillisPerMessage, double benchCpuPercent, double machineBusyPercent,
                               double peakHeapMb, java.util.Map<String, Long> sinkSaw, List<String> errors) {
}
