package dev.emporium.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** What the edge refuses before a service sees it: oversized bodies, and rate-limit buckets chosen by the client. */
class EdgeLimitsTests extends GatewayTestBase {

    static final String HUNDRED_KIB = "{\"lines\":[],\"padding\":\"" + "x".repeat(100 * 1024) + "\"}";

    @Test
    void refusesABodyOverTheLimitWith413BeforeAnyServiceSeesIt() {
        int before = received("order-service");

        http().post().uri("/api/orders").headers(headers -> headers.setBearerAuth(customer()))
            .contentType(MediaType.APPLICATION_JSON).bodyValue(HUNDRED_KIB)
            .exchange()
            .expectStatus().isEqualTo(413)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("64 KiB"));

        assertThat(received("order-service")).isEqualTo(before);
    }

    @Test
    void cutsOffAStreamedBodyWithoutALengthOnceItPassesTheLimit() {
        Flux<String> chunks = Flux.range(0, 100).map(i -> "x".repeat(1024));

        http().post().uri("/api/orders").headers(headers -> headers.setBearerAuth(customer()))
            .contentType(MediaType.APPLICATION_JSON).body(chunks, String.class)
            .exchange()
            .expectStatus().isEqualTo(413)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /**
     * A raw client, as nobody's HTTP library would write it: a chunked body past the limit, then silence. The
     * gateway still answers 413 (after its drain timeout) instead of waiting for the rest forever.
     */
    @Test
    void answersAClientThatStallsHalfWayThroughAnOversizedBody() throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) RequestSizeLimit.DRAIN_TIMEOUT.multipliedBy(4).toMillis());
            OutputStream out = socket.getOutputStream();
            int chunk = 70 * 1024;
            out.write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + customer()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(chunk) + "\r\n" + "x".repeat(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();

            assertThat(statusLine).startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void aBodyWithinTheLimitPasses() {
        http().post().uri("/api/orders").headers(headers -> headers.setBearerAuth(customer()))
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"lines\":[]}")
            .exchange()
            .expectStatus().isOk();
    }

    /** The services learn the client's address from the gateway alone: what the client claims is replaced. */
    @Test
    void passesOnTheConnectingAddressNotTheOneTheClientClaims() {
        http().get().uri("/api/products").header("X-Client-Address", "198.51.100.1").header("X-Forwarded-For", "198.51.100.2")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).value(body -> assertThat(body).endsWith(" for 127.0.0.1"));
    }

    /** Registrations have a per-address bucket; a client sending X-Forwarded-For directly still has one address. */
    @Test
    void aClientCannotChooseItsRateLimitBucketWithXForwardedFor() {
        List<Integer> statuses = new ArrayList<>();
        List<String> retryAfter = new ArrayList<>();
        for (int attempt = 0; attempt < 12; attempt++) {
            String pretended = "203.0.113." + attempt;
            http().post().uri("/api/users/register").header("X-Forwarded-For", pretended).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"new" + attempt + "@example.org\",\"password\":\"correct horse battery\",\"name\":\"N\"}")
                .exchange()
                .expectHeader().values("Retry-After", values -> retryAfter.add(values == null ? null : values.getFirst()))
                .expectStatus().value(statuses::add);
        }

        assertThat(statuses.subList(0, 10)).as("user-service has no instance here: 503, not refused at the door").doesNotContain(429);
        assertThat(statuses.subList(10, 12)).containsOnly(429);
        assertThat(retryAfter.get(10)).isNotBlank();
    }
}
