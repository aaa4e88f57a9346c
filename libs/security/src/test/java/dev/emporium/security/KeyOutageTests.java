package dev.emporium.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.emporium.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** When the signing keys cannot be fetched, a caller gets a 503 to retry, not a 500 or a misleading 401. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ServiceSecurityTests.ProtectedService.class,
        properties = "emporium.security.jwt.jwk-set-uri=http://localhost:1/.well-known/jwks.json")
class KeyOutageTests {

    @LocalServerPort
    int port;

    @Test
    void answersServiceUnavailableWithRetryAfterWhileTheKeysAreUnreachable() {
        ResponseEntity<String> response = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).build()
            .get().uri("http://localhost:" + port + "/api/things")
            .headers(headers -> headers.setBearerAuth(TestTokens.customer(java.util.UUID.randomUUID())))
            .retrieve().onStatus(status -> true, (request, reply) -> {
            }).toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(response.getBody()).contains("cannot be verified right now");
    }
}
