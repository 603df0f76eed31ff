package io.deksdenflow.orchestrator.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM is the normal way to stop the service (docker stop, Kubernetes, systemd): it runs the
 * orderly shutdown (stop claiming, give running jobs the grace period, hand back the rest) and then
 * exits with status 0. The JVM's default SIGTERM handling runs the same shutdown hooks but exits
 * with 143 (128 + 15), which supervisors report as a failure of a process that stopped cleanly.
 * A second SIGTERM while shutting down is ignored; SIGKILL is unaffected.
 */
public final class GracefulExit {
    private static final Logger log = LoggerFactory.getLogger(GracefulExit.class);
    private static volatile boolean stopping;

    private GracefulExit() {
    }

    /** Installs the SIGTERM handler; returns false when the platform has no such signal. */
    public static boolean install() {
        try {
            Signal.handle(new Signal("TERM"), sig -> {
                if (stopping) return;
                stopping = true;
                log.info("SIGTERM: shutting down");
                // System.exit runs the shutdown hooks (Spring closes the context) and blocks until
                // they finish; run it off the signal dispatcher thread.
                Thread t = new Thread(() -> System.exit(0), "sigterm-exit");
                t.setDaemon(false);
                t.start();
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
