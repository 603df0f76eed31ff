package bench.minimal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** One endpoint, GET /health: the floor any Spring Boot web service pays to start on this machine. */
@SpringBootApplication
@RestController
public class MinimalApp {

    @GetMapping("/health")
    String health() {
        return "{\"status\":\"ok\"}";
    }

    public static void main(String[] args) {
        SpringApplication.run(MinimalApp.class, args);
    }
}
