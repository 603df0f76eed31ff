package io.deksdenflow.orchestrator;

import io.deksdenflow.orchestrator.config.GracefulExit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OrchestratorApplication {
    public static void main(String[] args) {
        GracefulExit.install();   // SIGTERM: orderly shutdown, exit status 0
        SpringApplication.run(OrchestratorApplication.class, args);
    }
}
