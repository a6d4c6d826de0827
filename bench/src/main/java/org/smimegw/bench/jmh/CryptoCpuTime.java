package org.smimegw.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * Thread CPU time per call of {@link CryptoBenchmark}'s methods (its own {@code @Setup}, RSA-2048, 10 KB and 1 MB,
 * {@code crypto.providers} from {@code -Dproviders=}, default auto): on a shared machine JMH's wall-clock scores move
 * with the other tenants' load, CPU time per call much less. Warm-up, then the best of 3 rounds.
 * Run: {@code java -cp 'bench/target/bench.jar:bench/target/lib/*' org.smimegw.bench.jmh.CryptoCpuTime signEncrypt
 * signEncryptOnePass encrypt}.
 */
public final class CryptoCpuTime {

    private CryptoCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int size : new int[] {10240, 1048576}) {
            CryptoBenchmark benchmark = new CryptoBenchmark();
            benchmark.keyType = "RSA_2048";
            benchmark.size = size;
            benchmark.recipients = 1;
            benchmark.providers = System.getProperty("providers", "auto");
            benchmark.setUp();
            int calls = size > 100_000 ? 40 : 1500;
            try {
                for (String name : args) {
                    Method method = CryptoBenchmark.class.getMethod(name);
                    for (int i = 0; i < calls; i++) {
                        method.invoke(benchmark);
                    }
                    long best = Long.MAX_VALUE;
                    for (int round = 0; round < 3; round++) {
                        long start = threads.getCurrentThreadCpuTime();
                        for (int i = 0; i < calls; i++) {
                            method.invoke(benchmark);
                        }
                        best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
                    }
                    System.out.printf("%-20s %8d B %10.1f us CPU/call (best of 3 x %d)%n", name, size,
                            best / 1000.0 / calls, calls);
                }
            } finally {
                benchmark.tearDown();
            }
        }
    }
}
