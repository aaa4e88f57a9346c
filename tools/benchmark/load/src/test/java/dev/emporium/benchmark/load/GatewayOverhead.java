package dev.emporium.benchmark.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What the gateway costs: the same GET through the gateway, straight to the service, and through a
 * plain nginx reverse proxy, in alternating rounds (A, B, C, A, B, C) so that a noisy machine hurts
 * all three alike. Each round has two phases per target: a fixed arrival rate (its latency) and a
 * closed loop of {@code bench.concurrency} users that send the next request as soon as one answers
 * (its throughput). {@code ./emporium bench} starts nginx and passes the addresses.
 *
 * Settings: {@code bench.targets} ("gateway=http://localhost:8080,direct=...,nginx=..."),
 * {@code bench.path}, {@code bench.rate} (requests/s), {@code bench.concurrency}, {@code bench.step}
 * (seconds per phase), {@code bench.rounds}, {@code bench.samples} (the CSV for the report).
 */
public class GatewayOverhead extends Simulation {

    static final Map<String, String> TARGETS = targets(System.getProperty("bench.targets", "gateway=http://localhost:8080"));
    static final String PATH = System.getProperty("bench.path", "/api/products?size=20");
    static final int RATE = Integer.getInteger("bench.rate", 200);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
    static final int STEP_SECONDS = Integer.getInteger("bench.step", 10);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 2);

    private final Samples samples = Samples.to(System.getProperty("bench.samples"));

    {
        List<PopulationBuilder> phases = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (Map.Entry<String, String> target : TARGETS.entrySet()) {
                String label = target.getKey() + "#" + round;
                phases.add(get("fixed", label, target.getValue())
                    .injectOpen(constantUsersPerSec(RATE).during(Duration.ofSeconds(STEP_SECONDS)))
                    .protocols(http.baseUrl(target.getValue()).shareConnections()));
                phases.add(get("closed", label, target.getValue())
                    .injectClosed(constantConcurrentUsers(CONCURRENCY).during(Duration.ofSeconds(STEP_SECONDS)))
                    .protocols(http.baseUrl(target.getValue()).shareConnections()));
            }
        }
        PopulationBuilder chain = phases.getLast();
        for (int i = phases.size() - 2; i >= 0; i--) {
            chain = phases.get(i).andThen(chain);
        }
        setUp(chain);
    }

    private ScenarioBuilder get(String phase, String label, String baseUrl) {
        return scenario(phase + " " + label)
            .exec(session -> session.set("t0", System.currentTimeMillis()))
            .exec(http(phase + " " + label).get(PATH).header("Accept", "application/json").check(status().is(200)))
            .exec(session -> {
                long now = System.currentTimeMillis();
                samples.record(phase, label, session.getLong("t0"), now - session.getLong("t0"), !session.isFailed());
                return session;
            });
    }

    @Override
    public void after() {
        samples.close();
    }

    private static Map<String, String> targets(String spec) {
        Map<String, String> targets = new LinkedHashMap<>();
        Stream.of(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(pair -> {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("bench.targets: expected name=url, got '" + pair + "'");
            }
            targets.put(parts[0], parts[1]);
        });
        return targets;
    }
}
