package dev.emporium.testsupport;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Calls a service over real HTTP as a client would, optionally with a bearer token, and hands back
 * every answer (4xx and 5xx included) for the test to inspect. It uses the JDK's HTTP client on
 * purpose: Apache HttpClient, on the class path through Eureka, would wait out a 429's or 503's
 * {@code Retry-After} and retry by itself.
 */
public final class TestHttp {

    private final RestClient http;

    private TestHttp(RestClient http) {
        this.http = http;
    }

    public static TestHttp localPort(int port) {
        return new TestHttp(RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).baseUrl("http://localhost:" + port).build());
    }

    /** The same client, sending this header too (an Idempotency-Key, say). */
    public TestHttp withHeader(String name, String value) {
        return new TestHttp(http.mutate().defaultHeader(name, value).build());
    }

    public ResponseEntity<String> get(String path, String token) {
        return call(HttpMethod.GET, path, token, null);
    }

    public ResponseEntity<String> post(String path, String token, Object body) {
        return call(HttpMethod.POST, path, token, body);
    }

    /** @param body a JSON string as it is, or anything else to be written as JSON; null for none */
    public ResponseEntity<String> call(HttpMethod method, String path, String token, Object body) {
        RestClient.RequestBodySpec request = http.method(method).uri(path)
            .headers(headers -> {
                if (token != null) {
                    headers.setBearerAuth(token);
                }
            });
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.retrieve().onStatus(status -> true, (req, res) -> {
        }).toEntity(String.class);
    }
}
