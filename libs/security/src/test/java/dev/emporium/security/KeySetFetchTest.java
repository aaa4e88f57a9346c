package dev.emporium.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.http.RequestEntity;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The key set is fetched again when the first instance reached cannot be reached; a few times, not forever. */
class KeySetFetchTest {

    @Test
    void triesAgainWhereTheFirstAttemptMetADeadInstance() throws IOException {
        HttpServer keys = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        keys.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        try {
            KeySetFetch fetch = new KeySetFetch();
            AtomicInteger attempts = new AtomicInteger();
            // a stand-in for the load balancer: the first pick is an instance that is gone, the next the live one
            fetch.getInterceptors().add((request, body, execution) -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new java.net.ConnectException("Connection refused");
                }
                return execution.execute(request, body);
            });

            String body = fetch.exchange(RequestEntity.get(URI.create("http://localhost:" + keys.getAddress().getPort()
                    + "/.well-known/jwks.json")).build(), String.class).getBody();

            assertThat(body).isEqualTo("{\"keys\":[]}");
            assertThat(attempts).hasValue(2);
        }
        finally {
            keys.stop(0);
        }
    }

    @Test
    void givesUpAfterItsAttempts() {
        KeySetFetch fetch = new KeySetFetch();
        AtomicInteger attempts = new AtomicInteger();
        fetch.getInterceptors().add((request, body, execution) -> {
            attempts.incrementAndGet();
            throw new java.net.ConnectException("Connection refused");
        });

        assertThatExceptionOfType(ResourceAccessException.class)
            .isThrownBy(() -> fetch.exchange(RequestEntity.get(URI.create("http://localhost:1/.well-known/jwks.json")).build(), String.class));
        assertThat(attempts).hasValue(KeySetFetch.ATTEMPTS);
    }
}
