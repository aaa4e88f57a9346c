package dev.emporium.benchmark.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Orders per second, end to end, at a fixed arrival rate (an open model: new orders arrive whether
 * or not earlier ones are done). Each virtual user is one order by one of the seeded shoppers: POST
 * through the gateway (the "accept" latency), then asking until the order is CONFIRMED or REJECTED
 * (the group "order to terminal"; see {@link #order}). An order the shop refuses at once because it is full
 * (503, load shedding) is counted as shed, not placed. The rate rises in steps; Gatling's report shows where failures
 * start or latencies bend.
 *
 * <pre>
 * ./emporium bench     # starts a platform of its own, runs this and the rest, writes the report
 * </pre>
 * or by hand, against a platform started with the rate limits raised (see docs/performance.md):
 * <pre>
 * EMPORIUM_ADMIN_PASSWORD=$(cat .emporium/admin-password) \
 *   ./mvnw -pl tools/benchmark/load gatling:test -Dbench.rates=20,40,60 -Dbench.step=60
 * </pre>
 * Settings (system properties): {@code bench.gateway} (http://localhost:8080), {@code bench.rates}
 * (orders/s per step), {@code bench.step} (seconds per step), {@code bench.shoppers} (customers seeded),
 * {@code bench.ramp} (rise to the rate instead of starting at it), {@code bench.hold} (seconds at the rate after the ramp), {@code bench.wait} (seconds a GET waits for the decision; 0: poll), {@code bench.poll} (ms between
 * polls when not waiting),
 * {@code bench.samples} (a CSV file of every order, for {@code ./emporium bench}'s report).
 */
public class OrderThroughput extends Simulation {

    static final String GATEWAY = System.getProperty("bench.gateway", "http://localhost:8080");
    static final List<Integer> RATES = Stream.of(System.getProperty("bench.rates", "10,20,30").split(",")).map(String::trim)
        .map(Integer::parseInt).toList();
    static final int STEP_SECONDS = Integer.getInteger("bench.step", 30);
    static final int SHOPPERS = Integer.getInteger("bench.shoppers", 50);
    /** Rise from 1 order/s to the rate over the step instead of starting at it (a warm-up for just-started JVMs). */
    static final boolean RAMP = Boolean.getBoolean("bench.ramp");
    /** Seconds to go on at the rate once the ramp has reached it (the rest of a warm-up: the JIT takes minutes). */
    static final int HOLD_SECONDS = Integer.getInteger("bench.hold", 0);
    static final int POLL_MILLIS = Integer.getInteger("bench.poll", 100);
    /**
     * Seconds each GET offers to wait for the decision ({@code ?wait=N}: order-service answers when the
     * saga decides); 0 polls every {@code bench.poll} ms instead, as a client of a shop without it would.
     */
    static final int WAIT_SECONDS = Integer.getInteger("bench.wait", 5);

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient client = HttpClient.newHttpClient();

    private final List<String> tokens = new ArrayList<>();
    private final List<String> products = new ArrayList<>();
    private final Samples samples = Samples.to(System.getProperty("bench.samples"));

    {
        seed();
        AtomicInteger next = new AtomicInteger();
        Iterator<Map<String, Object>> orders = Stream.<Map<String, Object>>generate(() -> Map.of(
                "token", tokens.get(next.getAndIncrement() % tokens.size()),
                "key", UUID.randomUUID().toString(),
                "product", products.get(ThreadLocalRandom.current().nextInt(products.size())))).iterator();

        HttpProtocolBuilder protocol = http.baseUrl(GATEWAY).acceptHeader("application/json").contentTypeHeader("application/json")
            .shareConnections();

        // One scenario per step, each starting when the orders of the one before are all terminal, so
        // every step is measured on its own (the runner lines the steps up with the CPU it reads).
        PopulationBuilder steps = null;
        for (int i = RATES.size() - 1; i >= 0; i--) {
            int rate = RATES.get(i);
            String label = "rate=" + rate;
            List<OpenInjectionStep> injection = new ArrayList<>();
            injection.add(RAMP
                    ? rampUsersPerSec(1).to(rate).during(Duration.ofSeconds(STEP_SECONDS))
                    : constantUsersPerSec(rate).during(Duration.ofSeconds(STEP_SECONDS)));
            if (HOLD_SECONDS > 0) {
                injection.add(constantUsersPerSec(rate).during(Duration.ofSeconds(HOLD_SECONDS)));
            }
            PopulationBuilder step = order(label, orders).injectOpen(injection);
            steps = steps == null ? step : step.andThen(steps);
        }
        setUp(steps).protocols(protocol);
    }

    /**
     * One order: POST through the gateway ("accept"), then GET it until it is CONFIRMED or REJECTED
     * ("order to terminal", from the POST's answer to the answer that says so): each GET waits for
     * the decision ({@code ?wait=}), or, with {@code bench.wait=0}, a GET every {@code bench.poll} ms.
     */
    private ScenarioBuilder order(String label, Iterator<Map<String, Object>> orders) {
        return scenario(label)
            .feed(orders)
            .exec(session -> session.set("t0", System.currentTimeMillis()))
            .exec(http("accept").post("/api/orders")
                .header("Authorization", "Bearer #{token}")
                .header("Idempotency-Key", "#{key}")
                .body(StringBody("{\"lines\":[{\"productId\":\"#{product}\",\"quantity\":1}]}"))
                // 503 + Retry-After: the shop refused the order at once because it is full (load shedding)
                .check(status().in(201, 503).saveAs("acceptStatus"), jsonPath("$.id").optional().saveAs("order")))
            .exec(session -> {
                long now = System.currentTimeMillis();
                boolean shed = !session.isFailed() && session.getInt("acceptStatus") == 503;
                samples.record(shed ? "shed" : "accept", label, session.getLong("t0"), now - session.getLong("t0"),
                        !session.isFailed() && (shed || session.contains("order")));
                return session.set("accepted", now).set("shed", shed);
            })
            .exitHereIf(session -> session.isFailed() || session.getBoolean("shed") || !session.contains("order"))
            .group("order to terminal").on(
                // at most 30 s: polls every bench.poll ms, or GETs that wait up to bench.wait s each
                asLongAs(session -> !session.isFailed() && (!session.contains("status") || "PENDING".equals(session.getString("status")))
                        && session.getInt("polls") < (WAIT_SECONDS > 0 ? 30 / WAIT_SECONDS : 30_000 / POLL_MILLIS), "polls").on(
                    exec(pause(Duration.ofMillis(WAIT_SECONDS > 0 ? 0 : POLL_MILLIS))),
                    exec(http("poll").get("/api/orders/#{order}" + (WAIT_SECONDS > 0 ? "?wait=" + WAIT_SECONDS : ""))
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200), jsonPath("$.status").saveAs("status")))))
            .exec(session -> {
                String status = session.contains("status") ? session.getString("status") : "PENDING";
                String outcome = session.isFailed() || "PENDING".equals(status) ? "failed" : status.toLowerCase(java.util.Locale.ROOT);
                samples.record(outcome, label, session.getLong("t0"), System.currentTimeMillis() - session.getLong("accepted"),
                        !"failed".equals(outcome));
                return session;
            });
    }

    @Override
    public void after() {
        samples.close();
    }

    /** Shoppers with room on their credit, and plenty of stock on every demo product, through the admin API. */
    private void seed() {
        String admin = token(Objects.requireNonNullElse(System.getenv("EMPORIUM_ADMIN_EMAIL"), "admin@emporium.local"),
                requiredEnv("EMPORIUM_ADMIN_PASSWORD"));
        Matcher ids = ID.matcher(call("GET", "/api/products?size=100", null, null).body());
        while (ids.find()) {
            products.add(ids.group(1));
            call("POST", "/api/inventory/" + ids.group(1) + "/adjustments", admin, "{\"delta\":100000,\"reason\":\"benchmark stock\"}");
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < SHOPPERS; i++) {
            String email = "bench-" + run + "-" + i + "@example.org";
            String body = call("POST", "/api/users/register", null,
                    "{\"email\":\"" + email + "\",\"password\":\"benchmark password\",\"name\":\"Bench " + i + "\"}").body();
            Matcher id = ID.matcher(body);
            if (!id.find()) {
                throw new IllegalStateException("registration failed: " + body);
            }
            call("POST", "/api/users/" + id.group(1) + "/credit", admin, "{\"limit\":100000000}");
            tokens.add(token(email, "benchmark password"));
        }
    }

    private static String token(String email, String password) {
        String body = call("POST", "/api/users/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}").body();
        Matcher token = TOKEN.matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("login of " + email + " failed: " + body
                    + (email.startsWith("bench-") ? "" : " (the administrator: set EMPORIUM_ADMIN_EMAIL and EMPORIUM_ADMIN_PASSWORD"
                            + " to the platform's; the benchmark passes them itself)"));
        }
        return token.group(1);
    }

    private static HttpResponse<String> call(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(GATEWAY + path)).header("Accept", "application/json")
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new IllegalStateException("Is the platform running (./emporium up)? " + method + " " + GATEWAY + path + ": " + e, e);
        }
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: EMPORIUM_ADMIN_PASSWORD=$(cat .emporium/admin-password)");
        }
        return value;
    }
}
