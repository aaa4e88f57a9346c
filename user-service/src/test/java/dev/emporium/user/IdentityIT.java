package dev.emporium.user;

import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration, login, tokens and roles, over HTTP against a real database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "users")
class IdentityIT {

    static final String PASSWORD = "correct horse battery staple";

    @LocalServerPort
    int port;

    @Test
    void registersLogsInAndShowsTheCallersOwnAccountWithStartingCredit() throws Exception {
        String email = "ada." + UUID.randomUUID() + "@example.org";

        ResponseEntity<String> registered = call(HttpMethod.POST, "/api/users/register", null,
                Map.of("email", email.toUpperCase(), "password", PASSWORD, "name", "Ada"));
        String token = login(email, PASSWORD);
        ResponseEntity<String> me = call(HttpMethod.GET, "/api/users/me", token, null);
        ResponseEntity<String> anonymous = call(HttpMethod.GET, "/api/users/me", null, null);

        assertThat(registered.getStatusCode().value()).isEqualTo(201);
        assertThat(registered.getHeaders().getLocation()).hasToString("/api/users/" + JsonPath.read(registered.getBody(), "$.id"));
        assertThat(me.getStatusCode().value()).isEqualTo(200);
        assertThat(JsonPath.<String>read(me.getBody(), "$.email")).isEqualTo(email);
        assertThat(JsonPath.<String>read(me.getBody(), "$.role")).isEqualTo("CUSTOMER");
        assertThat(JsonPath.<Double>read(me.getBody(), "$.credit.available")).isEqualTo(1000.0);
        assertThat(JsonPath.<Double>read(me.getBody(), "$.credit.reserved")).isEqualTo(0.0);
        assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
    }

    @Test
    void issuesRs256TokensWithKidIssuerAudienceRolesAndAFifteenMinuteExpiryVerifiableWithThePublishedKey() throws Exception {
        String email = register();
        String token = login(email, PASSWORD);
        String jwks = call(HttpMethod.GET, "/.well-known/jwks.json", null, null).getBody();

        JWSObject jws = JWSObject.parse(token);
        RSAKey published = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jws.getHeader().getKeyID());
        Map<String, Object> claims = jws.getPayload().toJSONObject();

        assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(published).as("the token's kid is in the JWKS").isNotNull();
        assertThat(published.isPrivate()).as("the JWKS holds no private key").isFalse();
        assertThat(jws.verify(new RSASSAVerifier(published))).isTrue();
        assertThat(claims).containsEntry("iss", "emporium").containsEntry("aud", "emporium");
        assertThat(claims.get("roles")).isEqualTo(java.util.List.of("CUSTOMER"));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(900);
    }

    /** A role, credit or id sent with a registration is refused by name (400), and no account is made; the same without them is a customer's. */
    @Test
    void refusesRolesCreditAndIdsSentWithARegistration() {
        String email = "mallory." + UUID.randomUUID() + "@example.org";
        UUID chosenId = UUID.randomUUID();
        java.util.Set<String> extras = java.util.Set.of("role", "roles", "id", "credit", "creditLimit");

        for (String extra : extras) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "password", PASSWORD, "name", "Mallory"));
            body.put(extra, switch (extra) {
                case "role" -> "ADMIN";
                case "roles" -> java.util.List.of("ADMIN");
                case "id" -> chosenId;
                case "credit" -> Map.of("limit", 1_000_000);
                default -> 1_000_000;
            });
            ResponseEntity<String> refused = call(HttpMethod.POST, "/api/users/register", null, body);
            assertThat(refused.getStatusCode().value()).as(extra).isEqualTo(400);
            assertThat(refused.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
            assertThat(JsonPath.<java.util.List<String>>read(refused.getBody(), "$.errors[*].field")).containsExactly(extra);
            assertThat(JsonPath.<java.util.List<String>>read(refused.getBody(), "$.errors[*].message"))
                .containsExactly("is not a field in this request; the fields are email, name, password");
        }
        assertThat(call(HttpMethod.POST, "/api/users/login", null, Map.of("email", email, "password", PASSWORD)).getStatusCode().value())
            .as("no account was made").isEqualTo(401);

        assertThat(call(HttpMethod.POST, "/api/users/register", null, Map.of("email", email, "password", PASSWORD, "name", "Mallory"))
            .getStatusCode().value()).isEqualTo(201);
        String me = call(HttpMethod.GET, "/api/users/me", login(email, PASSWORD), null).getBody();
        assertThat(JsonPath.<String>read(me, "$.role")).isEqualTo("CUSTOMER");
        assertThat(JsonPath.<String>read(me, "$.id")).isNotEqualTo(chosenId.toString());
        assertThat(JsonPath.<Double>read(me, "$.credit.limit")).isEqualTo(1000.0);
    }

    @Test
    void refusesADuplicateAddressInAnyLetterCaseAShortPasswordAndANulCharacter() {
        String email = register();

        ResponseEntity<String> duplicate = call(HttpMethod.POST, "/api/users/register", null,
                Map.of("email", email.toUpperCase(), "password", PASSWORD, "name", "Twin"));
        ResponseEntity<String> shortPassword = call(HttpMethod.POST, "/api/users/register", null,
                Map.of("email", "short." + UUID.randomUUID() + "@example.org", "password", "elevenchars", "name", "Shorty"));
        ResponseEntity<String> malformed = call(HttpMethod.POST, "/api/users/register", null, "{\"email\": ");
        String nulEmail = "nul." + UUID.randomUUID() + "@example.org";
        ResponseEntity<String> nul = call(HttpMethod.POST, "/api/users/register", null,
                Map.of("email", nulEmail, "password", PASSWORD, "name", "Null\u0000Byte"));

        assertThat(duplicate.getStatusCode().value()).isEqualTo(409);
        assertThat(shortPassword.getStatusCode().value()).isEqualTo(400);
        assertThat(shortPassword.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(JsonPath.<java.util.List<String>>read(shortPassword.getBody(), "$.errors[*].field")).containsExactly("password");
        assertThat(malformed.getStatusCode().value()).isEqualTo(400);
        assertThat(nul.getStatusCode().value()).as("a name holding U+0000, which PostgreSQL cannot store").isEqualTo(400);
        assertThat(JsonPath.<String>read(nul.getBody(), "$.detail")).contains("U+0000");
        assertThat(call(HttpMethod.POST, "/api/users/login", null, Map.of("email", nulEmail, "password", PASSWORD)).getStatusCode().value())
            .as("no account was created").isEqualTo(401);
        assertThat(call(HttpMethod.POST, "/api/users/login", null, Map.of("email", "nul\u0000@example.org", "password", PASSWORD))
            .getStatusCode().value()).as("a login whose address holds U+0000").isEqualTo(400);
    }

    /** Lengths in characters (code points), as the document's minLength and maxLength and the columns count them. */
    @Test
    void countsALengthInCharactersAsTheDocumentDoes() {
        String emoji = "\uD83D\uDE00";
        ResponseEntity<String> sixEmoji = call(HttpMethod.POST, "/api/users/register", null,
                Map.of("email", "emoji." + UUID.randomUUID() + "@example.org", "password", emoji.repeat(6), "name", "Six"));
        ResponseEntity<String> longName = call(HttpMethod.POST, "/api/users/register", null,
                Map.of("email", "emoji." + UUID.randomUUID() + "@example.org", "password", PASSWORD, "name", emoji.repeat(150)));

        assertThat(sixEmoji.getStatusCode().value()).as("a password of 6 characters (12 UTF-16 units)").isEqualTo(400);
        assertThat(JsonPath.<java.util.List<String>>read(sixEmoji.getBody(), "$.errors[*].field")).containsExactly("password");
        assertThat(longName.getStatusCode().value()).as("a name of 150 characters (300 UTF-16 units), within maxLength 200").isEqualTo(201);
        assertThat(JsonPath.<String>read(longName.getBody(), "$.name")).isEqualTo(emoji.repeat(150));
    }

    @Test
    void answersAWrongPasswordAndAnUnknownAddressAlikeAndLocksAfterRepeatedFailures() {
        String email = register();

        ResponseEntity<String> wrongPassword = call(HttpMethod.POST, "/api/users/login", null,
                Map.of("email", email, "password", "not the password at all"));
        ResponseEntity<String> unknown = call(HttpMethod.POST, "/api/users/login", null,
                Map.of("email", "nobody." + UUID.randomUUID() + "@example.org", "password", "not the password at all"));
        for (int attempt = 2; attempt <= 5; attempt++) {
            call(HttpMethod.POST, "/api/users/login", null, Map.of("email", email, "password", "guess number " + attempt));
        }
        ResponseEntity<String> locked = call(HttpMethod.POST, "/api/users/login", null, Map.of("email", email, "password", PASSWORD));

        assertThat(wrongPassword.getStatusCode().value()).isEqualTo(401);
        assertThat(unknown.getStatusCode().value()).isEqualTo(401);
        assertThat(wrongPassword.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(JsonPath.<String>read(unknown.getBody(), "$.detail")).isEqualTo(JsonPath.read(wrongPassword.getBody(), "$.detail"));
        assertThat(locked.getStatusCode().value()).isEqualTo(429);
        assertThat(locked.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
    }

    @Test
    void letsOnlyAnAdministratorChangeACreditLimitAndSeeOtherAccounts() {
        String customerEmail = register();
        String customer = login(customerEmail, PASSWORD);
        String customerId = JsonPath.read(call(HttpMethod.GET, "/api/users/me", customer, null).getBody(), "$.id");
        String otherId = JsonPath.read(call(HttpMethod.GET, "/api/users/me", login(register(), PASSWORD), null).getBody(), "$.id");
        String admin = login("admin@emporium.test", "a-test-admin-password");

        ResponseEntity<String> byCustomer = call(HttpMethod.POST, "/api/users/" + customerId + "/credit", customer, Map.of("limit", 5000));
        ResponseEntity<String> byAdmin = call(HttpMethod.POST, "/api/users/" + customerId + "/credit", admin, Map.of("limit", 2500.50));
        ResponseEntity<String> othersAccount = call(HttpMethod.GET, "/api/users/" + otherId, customer, null);
        ResponseEntity<String> ownAccount = call(HttpMethod.GET, "/api/users/" + customerId, customer, null);
        ResponseEntity<String> adminReads = call(HttpMethod.GET, "/api/users/" + otherId, admin, null);

        assertThat(byCustomer.getStatusCode().value()).isEqualTo(403);
        assertThat(byAdmin.getStatusCode().value()).isEqualTo(200);
        assertThat(JsonPath.<Double>read(byAdmin.getBody(), "$.credit.limit")).isEqualTo(2500.5);
        assertThat(othersAccount.getStatusCode().value()).isEqualTo(404);
        assertThat(ownAccount.getStatusCode().value()).isEqualTo(200);
        assertThat(adminReads.getStatusCode().value()).isEqualTo(200);
    }

    /**
     * OWASP: an attacker who guesses an account's password from one address does not lock its owner out
     * at another. The gateway forwards the client's address in X-Client-Address, which the service
     * believes from an internal address such as this test's loopback (Tomcat's RemoteIpValve).
     */
    @Test
    void hammeringAnAccountFromOneAddressDoesNotLockItsOwnerOutAtAnother() {
        String email = register();
        TestHttp attacker = TestHttp.localPort(port).withHeader("X-Client-Address", "198.51.100.66");
        for (int attempt = 1; attempt <= 5; attempt++) {
            attacker.post("/api/users/login", null, Map.of("email", email, "password", "guess number " + attempt));
        }

        ResponseEntity<String> attackerAgain = attacker.post("/api/users/login", null, Map.of("email", email, "password", PASSWORD));
        ResponseEntity<String> owner = TestHttp.localPort(port).withHeader("X-Client-Address", "203.0.113.10")
            .post("/api/users/login", null, Map.of("email", email, "password", PASSWORD));

        assertThat(attackerAgain.getStatusCode().value()).as("the attacker's address, even with the right password").isEqualTo(429);
        assertThat(attackerAgain.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(owner.getStatusCode().value()).as("the owner at another address: %s", owner.getBody()).isEqualTo(200);
    }

    /** Defence in depth behind the gateway's limit: the service refuses a large body itself. */
    @Test
    void refusesABodyOverItsOwnLimitWith413() {
        String huge = "{\"email\":\"a@example.org\",\"password\":\"" + "x".repeat(100 * 1024) + "\"}";

        ResponseEntity<String> refused = call(HttpMethod.POST, "/api/users/login", null, huge);

        assertThat(refused.getStatusCode().value()).isEqualTo(413);
        assertThat(refused.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(JsonPath.<String>read(refused.getBody(), "$.detail")).contains("64 KiB");
    }

    private String register() {
        String email = "user." + UUID.randomUUID() + "@example.org";
        assertThat(call(HttpMethod.POST, "/api/users/register", null, Map.of("email", email, "password", PASSWORD, "name", "User"))
            .getStatusCode().value()).isEqualTo(201);
        return email;
    }

    private String login(String email, String password) {
        ResponseEntity<String> response = call(HttpMethod.POST, "/api/users/login", null, Map.of("email", email, "password", password));
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        assertThat(JsonPath.<String>read(response.getBody(), "$.tokenType")).isEqualTo("Bearer");
        assertThat(JsonPath.<Integer>read(response.getBody(), "$.expiresIn")).isEqualTo(900);
        return JsonPath.read(response.getBody(), "$.accessToken");
    }

    private ResponseEntity<String> call(HttpMethod method, String path, String token, Object body) {
        return TestHttp.localPort(port).call(method, path, token, body);
    }
}
