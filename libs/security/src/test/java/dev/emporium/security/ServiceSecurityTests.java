package dev.emporium.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import dev.emporium.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** A service protected the way every Emporium service is, checked with honest and forged tokens. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ServiceSecurityTests.ProtectedService.class)
class ServiceSecurityTests {

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("emporium.security.jwt.jwk-set-uri", TestTokens::jwkSetUri);
    }

    @LocalServerPort
    int port;

    @Test
    void acceptsAValidTokenAndKnowsWhoCalls() {
        UUID customer = UUID.randomUUID();

        ResponseEntity<String> response = get("/api/things", TestTokens.customer(customer));

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo(customer.toString());
    }

    @Test
    void refusesAMissingTokenWithAProblem() {
        ResponseEntity<String> response = get("/api/things", null);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getFirst("Content-Type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.getBody()).contains("\"status\":401", "Bearer").doesNotContain("\"properties\"");
    }

    @Test
    void refusesForgedExpiredAndForeignTokens() {
        assertThat(status(TestTokens.token().unsigned())).as("alg none").isEqualTo(401);
        assertThat(status(TestTokens.token().signWithUnknownKey())).as("signed by an unknown key").isEqualTo(401);
        assertThat(status(TestTokens.token().issuer("https://evil.example").sign())).as("another issuer").isEqualTo(401);
        assertThat(status(TestTokens.token().audience("another-shop").sign())).as("another audience").isEqualTo(401);
        assertThat(status(TestTokens.token().expiresAt(Instant.now().minus(Duration.ofMinutes(1))).sign()))
            .as("expired a minute ago, beyond the 30 s skew").isEqualTo(401);
        assertThat(status(TestTokens.token().expiresAt(Instant.now().minus(Duration.ofSeconds(10))).sign()))
            .as("expired 10 s ago, within the 30 s skew").isEqualTo(200);
    }

    @Test
    void forbidsACustomerWhatOnlyAnAdminMayDo() {
        ResponseEntity<String> customer = get("/api/admin", TestTokens.customer(UUID.randomUUID()));
        ResponseEntity<String> admin = get("/api/admin", TestTokens.admin(UUID.randomUUID()));

        assertThat(customer.getStatusCode().value()).isEqualTo(403);
        assertThat(customer.getHeaders().getFirst("Content-Type")).as("as every other problem: JSON is UTF-8 without saying so")
            .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(customer.getBody()).as("RFC 9457 members only (the Problem schema is closed)")
            .contains("\"status\":403", "\"title\":\"Forbidden\"").doesNotContain("\"properties\"");
        assertThat(admin.getStatusCode().value()).isEqualTo(200);
    }

    /** The API speaks JSON only: a YAML body or a wish for YAML (a format a library on the class path could speak) is refused. */
    @Test
    void takesAndAnswersJsonOnly() {
        String token = TestTokens.customer(UUID.randomUUID());
        RestClient http = RestClient.create("http://localhost:" + port);
        ResponseEntity<String> json = http.post().uri("/api/things").headers(headers -> headers.setBearerAuth(token))
            .contentType(MediaType.APPLICATION_JSON).body("{\"name\":\"cup\"}").retrieve().toEntity(String.class);
        assertThat(json.getBody()).isEqualTo("{\"name\":\"cup\"}");

        ResponseEntity<String> yamlBody = http.post().uri("/api/things").headers(headers -> headers.setBearerAuth(token))
            .contentType(MediaType.APPLICATION_YAML).body("name: cup\n").retrieve().onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
        assertThat(yamlBody.getStatusCode().value()).isEqualTo(415);
        assertThat(yamlBody.getHeaders().getAccept()).as("what is taken").isNotEmpty()
            .allSatisfy(type -> assertThat(type.getSubtype()).contains("json"));

        ResponseEntity<String> yamlAnswer = http.post().uri("/api/things").headers(headers -> headers.setBearerAuth(token))
            .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_YAML).body("{\"name\":\"cup\"}").retrieve()
            .onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
        assertThat(yamlAnswer.getStatusCode().value()).isEqualTo(406);

        ResponseEntity<String> problemAnswer = http.post().uri("/api/things").headers(headers -> headers.setBearerAuth(token))
            .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_PROBLEM_JSON).body("{\"name\":\"cup\"}").retrieve()
            .onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
        assertThat(problemAnswer.getStatusCode().value()).as("a thing is not a problem: Spring's JSON converter takes application/*+json")
            .isEqualTo(406);
        assertThat(problemAnswer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(problemAnswer.getBody()).contains("application/json");
        ResponseEntity<String> refusedAsAProblem = http.post().uri("/api/things").headers(headers -> headers.setBearerAuth(token))
            .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_PROBLEM_JSON).body("{\"name\":1}").retrieve()
            .onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
        assertThat(refusedAsAProblem.getStatusCode().value()).as("a problem is still answered to whoever accepts problems only").isEqualTo(400);
        assertThat(refusedAsAProblem.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        for (String both : List.of("application/json, application/problem+json", "application/problem+json, application/json")) {
            ResponseEntity<String> either = http.post().uri("/api/things").headers(headers -> headers.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).header("Accept", both).body("{\"name\":\"cup\"}").retrieve().toEntity(String.class);
            assertThat(either.getHeaders().getContentType()).as(both).isEqualTo(MediaType.APPLICATION_JSON);
            assertThat(either.getBody()).isEqualTo("{\"name\":\"cup\"}");
        }
    }

    private int status(String token) {
        return get("/api/things", token).getStatusCode().value();
    }

    private ResponseEntity<String> get(String path, String token) {
        return RestClient.create("http://localhost:" + port).method(HttpMethod.GET).uri(path)
            .headers(headers -> {
                if (token != null) {
                    headers.setBearerAuth(token);
                }
            })
            .retrieve()
            .onStatus(status -> true, (request, response) -> {
            })
            .toEntity(String.class);
    }

    @SpringBootApplication
    @RestController
    static class ProtectedService {

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return ServiceSecurity.resourceServer(http)
                .authorizeHttpRequests(requests -> requests
                    .requestMatchers("/api/admin").hasRole("ADMIN")
                    .anyRequest().authenticated())
                .build();
        }

        @GetMapping("/api/things")
        String things(@AuthenticationPrincipal Jwt caller) {
            return caller.getSubject();
        }

        record Thing(String name) {
        }

        @org.springframework.web.bind.annotation.PostMapping("/api/things")
        Thing thing(@org.springframework.web.bind.annotation.RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/api/admin")
        String admin() {
            return "admin";
        }
    }
}
