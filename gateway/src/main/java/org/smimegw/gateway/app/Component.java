package org.smimegw.gateway.app;

/**
 * A part of the running gateway with a lifecycle. {@link GatewayApplication} starts its components in order and
 * stops them in reverse order; {@link #isRunning()} feeds {@code /health}.
 */
public interface Component {

    /** Short name for logs and {@code /health} (smtp, pipeline, delivery, admin, ...). */
    String name();

    void start() throws Exception;

    /** Stops gracefully: finishes or hands back work in progress; must not throw. */
    void stop();

    boolean isRunning();

    /** A component from three lambdas. */
    static Component of(String name, ThrowingRunnable start, Runnable stop, java.util.function.BooleanSupplier running) {
        return new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() throws Exception {
                start.run();
            }

            @Override
            public void stop() {
                stop.run();
            }

            @Override
            public boolean isRunning() {
                return running.getAsBoolean();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
