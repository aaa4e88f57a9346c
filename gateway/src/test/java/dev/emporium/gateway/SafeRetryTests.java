package dev.emporium.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.emporium.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of two instances of order-service, one of them failing: what it sends to the
 * other instance, and what it never sends twice ({@link SafeRetryGatewayFilterFactory}).
 */
class SafeRetryTests {

    private static final int ATTEMPTS = 6;

    /** One instance's port has nothing listening (the process died): nothing reached it, so anything may go on. */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "eureka.client.enabled=false")
    class OneInstanceIsGone {

        static final StandIn healthy = new StandIn();
        static final int dead = closedPort();

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void instances(DynamicPropertyRegistry registry) {
            orderServiceAt(registry, () -> "http://localhost:" + dead, healthy::uri);
        }

        @BeforeEach
        void clear() {
            healthy.received.clear();
        }

        @Test
        void everyReadIsAnsweredByTheInstanceThatIsUp() {
            List<Integer> statuses = send(port, "GET", null);

            assertThat(statuses).containsOnly(200).hasSize(ATTEMPTS);
            assertThat(healthy.received).hasSize(ATTEMPTS);
        }

        @Test
        void aWriteWithoutAnIdempotencyKeyGoesToTheOtherInstanceTooSinceTheDeadOneNeverGotIt() {
            List<Integer> statuses = send(port, "POST", null);

            assertThat(statuses).containsOnly(200).hasSize(ATTEMPTS);
            assertThat(healthy.received).hasSize(ATTEMPTS).allSatisfy(body -> assertThat(body).startsWith("POST {\"attempt\":"));
        }
    }

    /** One instance is up but fails: answers 503 (without Retry-After), or takes the request and drops the connection. */
    /** Nothing set aside (emporium.gateway.balancer-set-aside=0s): every request meets the failing instance in its turn. */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "eureka.client.enabled=false", "emporium.gateway.balancer-set-aside=0s" })
    class OneInstanceFails {

        static final StandIn failing = new StandIn();
        static final StandIn healthy = new StandIn();

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void instances(DynamicPropertyRegistry registry) {
            orderServiceAt(registry, failing::uri, healthy::uri);
        }

        @BeforeEach
        void clear() {
            failing.received.clear();
            healthy.received.clear();
            failing.answer = 503;
            failing.retryAfter = false;
            healthy.answer = 200;
        }

        @Test
        void aReadThatGets503IsAnsweredByTheOtherInstance() {
            List<Integer> statuses = send(port, "GET", null);

            assertThat(statuses).containsOnly(200).hasSize(ATTEMPTS);
            assertThat(healthy.received).hasSize(ATTEMPTS);
            assertThat(failing.received).as("round robin, nothing set aside: every request but perhaps the first meets it first")
                .hasSizeGreaterThanOrEqualTo(ATTEMPTS - 1);
        }

        @Test
        void aWriteWithAnIdempotencyKeyIsSentAgainWithItsBodyToTheOtherInstance() {
            List<Integer> statuses = send(port, "POST", "key");

            assertThat(statuses).containsOnly(200).hasSize(ATTEMPTS);
            assertThat(failing.received).isNotEmpty();
            assertThat(healthy.received).hasSize(ATTEMPTS);
            assertThat(failing.received).allSatisfy(body -> assertThat(healthy.received).contains(body));
        }

        @Test
        void aWriteWithoutAnIdempotencyKeyThatReachedAServiceIsNeverSentTwice() {
            List<Integer> statuses = send(port, "POST", null);

            assertThat(statuses).containsOnly(200, 503).contains(503).hasSize(ATTEMPTS);
            assertThat(failing.received.size() + healthy.received.size()).as("requests the instances received").isEqualTo(ATTEMPTS);
            assertThat(failing.received).doesNotContainAnyElementsOf(healthy.received);
        }

        @Test
        void aWriteWithoutAnIdempotencyKeyIsNotSentAgainAfterTheConnectionDroppedEither() {
            failing.answer = StandIn.DROP;

            List<Integer> statuses = send(port, "POST", null);

            assertThat(statuses).contains(200).doesNotContain(201).hasSize(ATTEMPTS);
            assertThat(statuses).filteredOn(status -> status != 200).isNotEmpty().allSatisfy(status -> assertThat(status).isGreaterThanOrEqualTo(500));
            assertThat(failing.received.size() + healthy.received.size()).isEqualTo(ATTEMPTS);
        }

        @Test
        void aWriteRepeatableByItsNatureIsSentAgainWithoutAKey() {
            failing.answer = StandIn.DROP;

            List<Integer> statuses = send(port, "POST", "/api/orders/" + UUID.randomUUID() + "/cancel", null);

            assertThat(statuses).as("cancelling twice cancels once (emporium.gateway.retry.repeatable-writes)").containsOnly(200)
                .hasSize(ATTEMPTS);
            assertThat(failing.received).isNotEmpty().allSatisfy(body -> assertThat(healthy.received).contains(body));
        }

        @Test
        void aServiceSheddingLoadWithRetryAfterIsTakenAtItsWord() {
            failing.retryAfter = true;

            List<Integer> statuses = send(port, "POST", "key");

            assertThat(statuses).containsOnly(200, 503).contains(503);
            assertThat(failing.received.size() + healthy.received.size()).as("nothing sent twice").isEqualTo(ATTEMPTS);
        }

        @Test
        void aReadIsTriedAtMostThreeTimesThenTheCallerGetsTheProblem() {
            healthy.answer = 503;

            List<Integer> statuses = send(port, "GET", null);

            assertThat(statuses).containsOnly(503).hasSize(ATTEMPTS);
            assertThat(failing.received.size() + healthy.received.size()).as("1 attempt and 2 retries each").isEqualTo(ATTEMPTS * 3);
        }
    }

    /**
     * The same failing instance behind the least-loaded balancer ({@link LeastLoadedLoadBalancer}): after
     * its first failure it is set aside, and the next requests go straight to its twin.
     */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "eureka.client.enabled=false", "emporium.gateway.balancer=least-loaded" })
    class OneInstanceFailsBehindTheLeastLoadedBalancer {

        static final StandIn failing = new StandIn();
        static final StandIn healthy = new StandIn();

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void instances(DynamicPropertyRegistry registry) {
            orderServiceAt(registry, failing::uri, healthy::uri);
        }

        @Test
        void theFailingInstanceIsSetAsideAfterItsFirstFailure() {
            setAsideAfterItsFirstFailure(port, failing, healthy);
        }
    }

    /** The same failing instance behind round robin, the default: set aside too ({@link RoundRobinLoadBalancer}). */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "eureka.client.enabled=false")
    class OneInstanceFailsBehindRoundRobin {

        static final StandIn failing = new StandIn();
        static final StandIn healthy = new StandIn();

        @LocalServerPort
        int port;

        @DynamicPropertySource
        static void instances(DynamicPropertyRegistry registry) {
            orderServiceAt(registry, failing::uri, healthy::uri);
        }

        @Test
        void theFailingInstanceIsSetAsideAfterItsFirstFailure() {
            setAsideAfterItsFirstFailure(port, failing, healthy);
        }
    }

    private static void setAsideAfterItsFirstFailure(int port, StandIn failing, StandIn healthy) {
        failing.answer = 503;
        // until the balancer has tried it once (least-loaded: each pick between two unknown or equal instances is a coin toss)
        for (int tries = 0; tries < 30 && failing.received.isEmpty(); tries++) {
            send(port, "GET", null);
        }
        assertThat(failing.received).hasSize(1);
        healthy.received.clear();

        List<Integer> statuses = send(port, "GET", null);

        assertThat(statuses).containsOnly(200).hasSize(ATTEMPTS);
        assertThat(failing.received).as("with nothing set aside it meets nearly every request first (aReadThatGets503...)").hasSize(1);
        assertThat(healthy.received).hasSize(ATTEMPTS);
    }

    /** Two instances of order-service for Spring Cloud's simple discovery client, and the test tokens' keys. */
    private static void orderServiceAt(DynamicPropertyRegistry registry, Supplier<Object> first, Supplier<Object> second) {
        registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", first);
        registry.add("spring.cloud.discovery.client.simple.instances.order-service[1].uri", second);
        registry.add("emporium.security.jwt.jwk-set-uri", TestTokens::jwkSetUri);
    }

    /** {@link #ATTEMPTS} requests to {@code /api/orders}, each with its own body; their statuses. */
    private static List<Integer> send(int port, String method, String idempotencyKey) {
        return send(port, method, "/api/orders", idempotencyKey);
    }

    private static List<Integer> send(int port, String method, String path, String idempotencyKey) {
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        String token = TestTokens.customer(UUID.randomUUID());
        List<Integer> statuses = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            WebTestClient.RequestHeadersSpec<?> request = method.equals("GET")
                    ? http.get().uri(path + "?attempt=" + attempt)
                    : http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"attempt\":" + attempt + "}");
            String key = idempotencyKey == null ? null : idempotencyKey + "-" + attempt;
            request.headers(headers -> {
                headers.setBearerAuth(token);
                if (key != null) {
                    headers.set(SafeRetryGatewayFilterFactory.IDEMPOTENCY_KEY, key);
                }
            }).exchange().expectStatus().value(statuses::add);
        }
        return statuses;
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An instance of a service: records each request (method and body, or query), answers with {@link #answer}. */
    static final class StandIn {

        /** Take the request, answer nothing, close the connection. */
        static final int DROP = -1;

        final List<String> received = new CopyOnWriteArrayList<>();
        volatile int answer = 200;
        volatile boolean retryAfter;
        private final HttpServer server;

        StandIn() {
            try {
                server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(exchange.getRequestMethod() + " " + (body.isEmpty() ? exchange.getRequestURI().getQuery() : body));
                int status = answer;
                if (status == DROP) {
                    exchange.close(); // before any answer: the JDK's server closes the connection
                    return;
                }
                byte[] answerBody = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (retryAfter) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                }
                exchange.sendResponseHeaders(status, answerBody.length);
                exchange.getResponseBody().write(answerBody);
                exchange.close();
            });
            server.start();
        }

        String uri() {
            return "http://localhost:" + server.getAddress().getPort();
        }
    }
}
