package dev.emporium.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-user limit: each signed-in user has a bucket of their own, and callers without a token
 * take none (they share only their address's bucket). Three requests per user per minute here, so
 * that a handful of requests reach the limit; the per-address limit is far above it.
 */
@TestPropertySource(properties = {
    "emporium.gateway.rate-limits.per-user.capacity=3",
    "emporium.gateway.rate-limits.per-user.per-period=3",
    "emporium.gateway.rate-limits.per-user.period=1m" })
class PerUserRateLimitTests extends GatewayTestBase {

    @Test
    void eachSignedInUserHasABucketOfTheirOwn() {
        String alice = customer();
        String bob = customer();
        int before = received("order-service");

        List<Integer> alices = IntStream.range(0, 4).mapToObj(i -> ordersStatus(alice)).toList();

        assertThat(alices).as("Alice's four requests").containsExactly(200, 200, 200, 429);
        // a refused request must not reach the service afterwards (it once did, after its 429 was written)
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(received("order-service") - before).as("requests order-service received").isEqualTo(3));
        http().get().uri("/api/orders").headers(headers -> headers.setBearerAuth(alice)).exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().value("Retry-After", retryAfter -> assertThat(Long.parseLong(retryAfter)).isPositive());
        assertThat(ordersStatus(bob)).as("Bob's first request, after Alice's were refused").isEqualTo(200);
    }

    @Test
    void callersWithoutATokenTakeNoUserBucket() {
        List<Integer> statuses = new ArrayList<>();
        for (int request = 0; request < 10; request++) {
            http().get().uri("/api/products").exchange().expectStatus().value(statuses::add);
        }

        assertThat(statuses).as("ten catalogue reads without a token").containsOnly(200).hasSize(10);
    }
}
