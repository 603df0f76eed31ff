package io.deksdenflow.orchestrator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OrchestratorApplication {
    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(OrchestratorApplication.class, args);
        exitCleanlyOnSigterm(context);
    }

    /**
     * SIGTERM (docker stop, Kubernetes, systemd) closes the context gracefully — the HTTP server
     * drains, workers stop claiming and finish or hand back their jobs within
     * DEKSDENFLOW_SHUTDOWN_GRACE_SECONDS — and the process then exits 0 instead of 143.
     */
    static void exitCleanlyOnSigterm(ConfigurableApplicationContext context) {
        Signal.handle(new Signal("TERM"), signal -> new Thread(() -> {
            int code = SpringApplication.exit(context, () -> 0);
            System.exit(code);
        }, "sigterm-shutdown").start());
    }
}
