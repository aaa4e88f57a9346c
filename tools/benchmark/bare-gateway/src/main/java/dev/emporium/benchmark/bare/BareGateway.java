package dev.emporium.benchmark.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway and nothing of ours: one route to {@code BARE_GATEWAY_UPSTREAM}, traced and
 * measured as the platform's gateway is (application.yml). {@code ./emporium bench} puts it beside the
 * real gateway, so that the report tells the framework's cost per request from the cost of what the
 * gateway adds (security, rate limits, discovery).
 */
@SpringBootApplication
public class BareGateway {

    public static void main(String[] args) {
        SpringApplication.run(BareGateway.class, args);
    }
}
