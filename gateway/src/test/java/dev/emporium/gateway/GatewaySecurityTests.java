package dev.emporium.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.emporium.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway lets through, and what it stops before any service sees it. */
class GatewaySecurityTests extends GatewayTestBase {

    @Test
    void letsAnonymousCallersBrowseTheCatalogueOnly() {
        http().get().uri("/api/products").exchange().expectStatus().isOk();
        http().head().uri("/api/products").exchange().expectStatus().isOk();
        http().post().uri("/api/products").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
            .expectStatus().isUnauthorized();
        http().get().uri("/api/orders").exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueEquals("WWW-Authenticate", "Bearer");
    }

    /**
     * Reading the catalogue needs no token, so the gateway's chain for it has no token filters: a token
     * sent along goes to inventory-service, which checks it as every service does.
     */
    @Test
    void leavesTheTokenOfACatalogueReadToTheServiceAndStillChecksItEverywhereElse() {
        String forged = TestTokens.token().signWithUnknownKey();
        http().get().uri("/api/products/42").headers(headers -> headers.setBearerAuth(forged)).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("inventory-service /api/products/42 with token for 127.0.0.1");
        http().post().uri("/api/products").headers(headers -> headers.setBearerAuth(forged)).contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{}").exchange()
            .expectStatus().isUnauthorized();
        assertThat(ordersStatus(forged)).isEqualTo(401);
    }

    /** The firewall's refusals say what was refused: a method no path serves is a 405 with Allow, not a 400 about the path. */
    @Test
    void refusesWhatTheFirewallRefusesWithAProblemThatSaysWhat() {
        http().method(org.springframework.http.HttpMethod.valueOf("TRACE")).uri("/api/products").exchange()
            .expectStatus().isEqualTo(405)
            .expectHeader().valueEquals("Allow", dev.emporium.security.FirewallRefusal.ALLOWED_METHODS)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("HTTP method"));
        http().get().uri(java.net.URI.create("http://localhost:" + port + "/api/products/a%2Fb")).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("path", "encoded slash"));
    }

    @Test
    void refusesForgedExpiredAndForeignTokens() {
        assertThat(ordersStatus(TestTokens.token().unsigned())).as("alg none").isEqualTo(401);
        assertThat(ordersStatus(TestTokens.token().signWithUnknownKey())).as("unknown key").isEqualTo(401);
        assertThat(ordersStatus(TestTokens.token().issuer("https://evil.example").sign())).as("another issuer").isEqualTo(401);
        assertThat(ordersStatus(TestTokens.token().audience("another-shop").sign())).as("another audience").isEqualTo(401);
        assertThat(ordersStatus(TestTokens.token().expiresAt(Instant.now().minus(Duration.ofMinutes(1))).sign())).as("expired")
            .isEqualTo(401);
        assertThat(ordersStatus(TestTokens.token().sign())).as("a good token").isEqualTo(200);
    }

    @Test
    void slowsDownLoginAttemptsWithTooManyRequestsAndRetryAfter() {
        List<Integer> statuses = new ArrayList<>();
        List<String> retryAfter = new ArrayList<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            http().post().uri("/api/users/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"victim@example.org\",\"password\":\"guess-" + attempt + "\"}")
                .exchange()
                .expectHeader().values("Retry-After", values -> retryAfter.add(values == null ? null : values.getFirst()))
                .expectStatus().value(statuses::add);
        }

        assertThat(statuses).contains(429);
        assertThat(statuses.subList(0, 10)).doesNotContain(429);
        assertThat(retryAfter.get(statuses.indexOf(429))).isNotBlank();
    }

    /**
     * A method a path of the API does not take is a 405 naming the ones it does, whoever asks: not a 401
     * that sends an anonymous client looking for a token, nor a 403 that a shopper's token would get.
     * OPTIONS says the same with a 204. Nothing of it reaches a service.
     */
    @Test
    void answersAMethodAPathDoesNotTakeWith405AndTheMethodsItTakesWhoeverAsks() {
        int before = received("inventory-service") + received("order-service");
        String shopper = TestTokens.token().sign();
        for (String token : new String[] { null, shopper }) {
            http().put().uri("/api/products").headers(headers -> bearer(headers, token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET, HEAD, POST, OPTIONS")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("PUT", "GET, HEAD, POST"));
            http().delete().uri("/api/products/42").headers(headers -> bearer(headers, token)).exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET, HEAD, PUT, OPTIONS");
            // the literal path, not /api/users/{id}: logging in is a POST only
            http().get().uri("/api/users/login").headers(headers -> bearer(headers, token)).exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST, OPTIONS");
            http().options().uri("/api/orders/" + java.util.UUID.randomUUID()).headers(headers -> bearer(headers, token)).exchange()
                .expectStatus().isNoContent()
                .expectHeader().valueEquals("Allow", "GET, HEAD, OPTIONS");
        }
        assertThat(received("inventory-service") + received("order-service")).as("requests that reached a service").isEqualTo(before);
        // what the API has is still guarded as before, and a path it does not have is still denied
        http().post().uri("/api/products").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isUnauthorized();
        http().get().uri("/api/nothing-here").exchange().expectStatus().isUnauthorized();
    }

    private static void bearer(org.springframework.http.HttpHeaders headers, String token) {
        if (token != null) {
            headers.setBearerAuth(token);
        }
    }

    @Test
    void setsSecurityHeadersOnEveryAnswer() {
        http().get().uri("/api/products").exchange()
            .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
            .expectHeader().valueEquals("X-Frame-Options", "DENY")
            .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            .expectHeader().valueEquals("Referrer-Policy", "no-referrer");
    }

    /** The Swagger UI's page may run its own scripts and styles; the API's answers still may not. */
    @Test
    void letsTheDocumentationPagesLoadTheirOwnScriptsAndNothingElse() {
        http().get().uri("/swagger-ui/index.html").exchange()
            .expectHeader().valueEquals("Content-Security-Policy", GatewaySecurity.PAGE_POLICY)
            .expectHeader().valueEquals("X-Frame-Options", "DENY");
        assertThat(GatewaySecurity.PAGE_POLICY).contains("default-src 'self'").doesNotContain("script-src", "*", "http");
        http().head().uri("/swagger-ui/index.html").exchange()
            .expectStatus().value(status -> assertThat(status).as("HEAD on a page, anonymously").isNotIn(401, 403))
            .expectHeader().valueEquals("Content-Security-Policy", GatewaySecurity.PAGE_POLICY);
        http().get().uri("/v3/api-docs/order-service").exchange()
            .expectHeader().valueEquals("Content-Security-Policy", GatewaySecurity.API_POLICY);
    }

    /** The storefront: its page, its modules and its settings, to anyone, with the pages' policy. */
    @Test
    void servesTheStorefrontAtTheRootWithThePagesPolicy() {
        http().get().uri("/").exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader().valueEquals("Content-Security-Policy", GatewaySecurity.PAGE_POLICY)
            .expectBody(String.class).value(page -> assertThat(page).contains("<script type=\"module\" src=\"/shop/app.js\">")
                .doesNotContain("http://", "https://"));
        http().get().uri("/shop/app.js").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("Content-Security-Policy", GatewaySecurity.PAGE_POLICY);
        http().get().uri("/shop/config.json").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.traceLink").exists();
    }

    @Test
    void observesRequestsButNotSpringSecuritysBookkeeping() {
        int before = observations.names().size();

        http().get().uri("/api/orders").exchange().expectStatus().isUnauthorized();
        http().get().uri("/api/orders").headers(headers -> headers.setBearerAuth(customer())).exchange().expectStatus().isOk();

        List<String> started = observations.names().subList(before, observations.names().size());
        assertThat(started).as("observations of the two requests").contains("http.server.requests")
            .noneMatch(name -> name.startsWith("spring.security"));
    }

    /** No request asks for a WebSession: creating one cost two thread hops per request (~7 % of GET/s). */
    @Test
    void keepsNoSessionBecauseEveryRequestCarriesItsToken() {
        int before = sessions.asked();

        http().get().uri("/api/products").exchange().expectStatus().isOk();
        http().get().uri("/api/orders").exchange().expectStatus().isUnauthorized();
        http().get().uri("/api/orders").headers(headers -> headers.setBearerAuth(customer())).exchange().expectStatus().isOk()
            .expectHeader().doesNotExist("Set-Cookie");

        assertThat(sessions.asked()).as("requests that asked for a WebSession").isEqualTo(before);
    }
}
