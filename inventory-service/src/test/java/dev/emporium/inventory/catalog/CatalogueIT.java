package dev.emporium.inventory.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The catalogue and stock administration over HTTP, with bad input of every kind. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "inventory")
@TrustTestTokens
class CatalogueIT {

    static final String ADMIN = TestTokens.admin(UUID.randomUUID());
    static final String CUSTOMER = TestTokens.customer(UUID.randomUUID());

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void anAdministratorAddsAProductAndStockAndAnyoneSeesWhatIsAvailable() {
        String sku = "MUG-" + UUID.randomUUID();
        ResponseEntity<String> created = call(HttpMethod.POST, "/api/products", ADMIN, product(sku, "Enamel mug", "11.00"));
        String id = JsonPath.read(created.getBody(), "$.id");

        ResponseEntity<String> received = call(HttpMethod.POST, "/api/inventory/" + id + "/adjustments", ADMIN,
                Map.of("delta", 12, "reason", "delivery 2026-11-22"));
        ResponseEntity<String> writtenOff = call(HttpMethod.POST, "/api/inventory/" + id + "/adjustments", ADMIN,
                Map.of("delta", -2, "reason", "broken in transit"));
        call(HttpMethod.POST, "/api/inventory/" + id + "/adjustments", ADMIN, Map.of("delta", 5, "reason", "second delivery"));
        String product = call(HttpMethod.GET, "/api/products/" + id, null, null).getBody();
        String trail = call(HttpMethod.GET, "/api/inventory/" + id + "/adjustments?size=2", ADMIN, null).getBody();
        String rest = call(HttpMethod.GET, "/api/inventory/" + id + "/adjustments?size=2&page=1", ADMIN, null).getBody();

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getHeaders().getLocation()).hasToString("/api/products/" + id);
        assertThat(received.getStatusCode().value()).isEqualTo(201);
        assertThat(writtenOff.getStatusCode().value()).isEqualTo(201);
        assertThat(JsonPath.<Integer>read(product, "$.available")).isEqualTo(15);
        assertThat(JsonPath.<String>read(product, "$.price.currency")).isEqualTo("EUR");
        assertThat(JsonPath.<List<String>>read(trail, "$.content[*].reason")).as("a page, oldest first")
            .containsExactly("delivery 2026-11-22", "broken in transit");
        assertThat(JsonPath.<List<String>>read(rest, "$.content[*].reason")).containsExactly("second delivery");
        assertThat(JsonPath.<Integer>read(rest, "$.page.totalElements")).isEqualTo(3);
        assertThat(JsonPath.<Integer>read(rest, "$.page.totalPages")).isEqualTo(2);
        assertProblem(call(HttpMethod.GET, "/api/inventory/" + id + "/adjustments?size=101", ADMIN, null), 400);
        assertThat(call(HttpMethod.GET, "/api/inventory/audit", ADMIN, null).getBody()).isEqualTo("[]");
    }

    @Test
    void announcesTheNewProductsPriceAndEachPriceChangeButNotAChangeOfName() {
        try (TopicRecords prices = new TopicRecords(bootstrapServers, "inventory-prices")) {
            String id = JsonPath.read(call(HttpMethod.POST, "/api/products", ADMIN, product("P-" + UUID.randomUUID(), "Lamp", "30.00"))
                .getBody(), "$.id");
            call(HttpMethod.PUT, "/api/products/" + id, ADMIN, Map.of("name", "Desk lamp", "price", Map.of("amount", 30.00, "currency", "EUR")));
            call(HttpMethod.PUT, "/api/products/" + id, ADMIN, Map.of("name", "Desk lamp", "price", Map.of("amount", 32.50, "currency", "EUR")));

            await().atMost(Duration.ofSeconds(30)).until(() -> prices.withKey(id).size() >= 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> prices.withKey(id).size() == 2);
            List<TopicRecords.Message> announced = prices.withKey(id);
            assertThat(announced).extracting(TopicRecords.Message::type).containsOnly("ProductPriced");
            assertThat(announced.get(0).<Double>read("$.payload.amount")).isEqualTo(30.0);
            assertThat(announced.get(1).<Double>read("$.payload.amount")).isEqualTo(32.5);
            assertThat(announced.get(1).<Integer>read("$.payload.version")).isGreaterThan(announced.get(0).<Integer>read("$.payload.version"));
        }
    }

    @Test
    void searchesByNameOrSkuAndCategoryAndSortsByPrice() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        call(HttpMethod.POST, "/api/products", ADMIN, product("A-" + marker, "Blue lamp " + marker, "30.00", "lighting"));
        call(HttpMethod.POST, "/api/products", ADMIN, product("B-" + marker, "Red lamp " + marker, "20.00", "lighting"));
        call(HttpMethod.POST, "/api/products", ADMIN, product("C-" + marker, "Red chair " + marker, "90.00", "furniture"));

        String byName = call(HttpMethod.GET, "/api/products?q=LAMP " + marker + "&sort=price,desc", null, null).getBody();
        String bySku = call(HttpMethod.GET, "/api/products?q=c-" + marker, null, null).getBody();
        String byCategory = call(HttpMethod.GET, "/api/products?q=" + marker + "&category=furniture", null, null).getBody();

        assertThat(JsonPath.<List<String>>read(byName, "$.content[*].name")).containsExactly("Blue lamp " + marker, "Red lamp " + marker);
        assertThat(JsonPath.<Integer>read(byName, "$.page.totalElements")).isEqualTo(2);
        assertThat(JsonPath.<List<String>>read(bySku, "$.content[*].sku")).containsExactly("C-" + marker);
        assertThat(JsonPath.<List<String>>read(byCategory, "$.content[*].name")).containsExactly("Red chair " + marker);
    }

    /** What the OpenAPI document offers is taken: every sort it lists, and the largest page it allows. */
    @Test
    void takesEverySortAndPageItsDocumentOffers() {
        String document = call(HttpMethod.GET, "/v3/api-docs", null, null).getBody();
        List<String> sorts = JsonPath.read(document, "$.paths['/api/products'].get.parameters[?(@.name == 'sort')].schema.enum[*]");
        List<Integer> largestPage = JsonPath.read(document, "$.paths['/api/products'].get.parameters[?(@.name == 'page')].schema.maximum");

        assertThat(sorts).contains("name", "price,desc");
        for (String sort : sorts) {
            assertThat(call(HttpMethod.GET, "/api/products?sort=" + sort, null, null).getStatusCode().value()).as("sort=" + sort).isEqualTo(200);
        }
        assertThat(call(HttpMethod.GET, "/api/products?page=" + largestPage.getFirst(), null, null).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void refusesBadInputWithAProblemAndChangesNothing() throws Exception {
        String sku = "BAD-" + UUID.randomUUID();
        String id = JsonPath.read(call(HttpMethod.POST, "/api/products", ADMIN, product(sku, "Kettle", "25.00")).getBody(), "$.id");
        call(HttpMethod.POST, "/api/inventory/" + id + "/adjustments", ADMIN, Map.of("delta", 3, "reason", "delivery"));

        assertProblem(call(HttpMethod.GET, "/api/products?size=10000", null, null), 400);
        assertProblem(call(HttpMethod.GET, "/api/products?sort=password", null, null), 400);
        assertProblem(call(HttpMethod.GET, "/api/products?q=a\u0000b", null, null), 400);
        for (String empty : List.of("page", "size", "sort")) {
            ResponseEntity<String> refused = call(HttpMethod.GET, "/api/products?" + empty + "=", null, null);
            assertProblem(refused, 400);
            assertThat(JsonPath.<List<String>>read(refused.getBody(), "$.errors[*].field")).as("an empty value is not read as none")
                .containsExactly(empty);
        }
        assertThat(call(HttpMethod.GET, "/api/products?q=", null, null).getStatusCode().value()).as("an empty search filters nothing")
            .isEqualTo(200);
        for (String undecodable : List.of("%FF%FE", "%ED%A0%80")) {
            // sent as it is: no client would encode these bytes so
            var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + "/api/products?q=" + undecodable)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("q=" + undecodable + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertProblem(call(HttpMethod.POST, "/api/products", ADMIN, product("NUL-" + UUID.randomUUID(), "Nul\u0000", "1.00")), 400);
        assertProblem(call(HttpMethod.POST, "/api/products", ADMIN, "{\"sku\": "), 400);
        assertProblem(call(HttpMethod.POST, "/api/products", ADMIN, "{\"sku\": \"STR-" + UUID.randomUUID()
                + "\", \"name\": \"Quoted price\", \"price\": {\"amount\": \"25.00\", \"currency\": \"EUR\"}}"), 400);
        assertProblem(call(HttpMethod.POST, "/api/products", ADMIN, product("NEG-" + UUID.randomUUID(), "Free lunch", "-1.00")), 400);
        for (String currency : List.of("USD", "ZQI")) {
            ResponseEntity<String> refused = call(HttpMethod.POST, "/api/products", ADMIN, Map.of("sku", "CUR-" + UUID.randomUUID(),
                    "name", "Priced in " + currency, "price", Map.of("amount", 25.50, "currency", currency)));
            assertProblem(refused, 400);
            assertThat(JsonPath.<List<String>>read(refused.getBody(), "$.errors[*].field")).as(currency).containsExactly("price.currency");
            assertThat(JsonPath.<List<String>>read(refused.getBody(), "$.errors[*].message"))
                .containsExactly("must be EUR, the shop's currency: every price and every credit account is kept in it");
        }
        assertProblem(call(HttpMethod.POST, "/api/products", ADMIN, product(sku, "Kettle again", "25.00")), 409);
        assertProblem(call(HttpMethod.POST, "/api/inventory/" + id + "/adjustments", ADMIN, Map.of("delta", -4, "reason", "lost")), 409);
        ResponseEntity<String> zero = call(HttpMethod.POST, "/api/inventory/" + id + "/adjustments", ADMIN, Map.of("delta", 0, "reason", "nothing"));
        assertProblem(zero, 400);
        assertThat(JsonPath.<List<String>>read(zero.getBody(), "$.errors[*].field")).as("validated as documented (not: {enum: [0]})")
            .containsExactly("delta");
        assertProblem(call(HttpMethod.POST, "/api/inventory/" + UUID.randomUUID() + "/adjustments", ADMIN,
                Map.of("delta", 1, "reason", "unknown product")), 404);
        assertProblem(call(HttpMethod.GET, "/api/products/" + UUID.randomUUID(), null, null), 404);
        ResponseEntity<String> notAnId = call(HttpMethod.GET, "/api/products/not-a-uuid", null, null);
        assertProblem(notAnId, 400);
        assertThat(JsonPath.<List<String>>read(notAnId.getBody(), "$.errors[*].field")).as("the path variable, named").containsExactly("id");
        assertThat(JsonPath.<String>read(notAnId.getBody(), "$.errors[0].message")).contains("must be a UUID, such as");

        ResponseEntity<String> misspelt = call(HttpMethod.PUT, "/api/products/" + id, ADMIN, Map.of("name", "Kettle, steel",
                "price", Map.of("amount", 26.00, "currency", "EUR"), "categroy", "kitchen"));
        assertProblem(misspelt, 400);
        assertThat(JsonPath.<List<String>>read(misspelt.getBody(), "$.errors[*].field")).as("a misspelt field is refused by name, not passed over")
            .containsExactly("categroy");
        assertThat(JsonPath.<List<String>>read(misspelt.getBody(), "$.errors[*].message"))
            .containsExactly("is not a field in this request; the fields are category, description, name, price");
        assertProblem(call(HttpMethod.PUT, "/api/products/" + id, ADMIN, Map.of("sku", "NEW-" + UUID.randomUUID(), "name", "Kettle",
                "price", Map.of("amount", 25.00, "currency", "EUR"))), 400);

        String unanswerable = "XML-" + UUID.randomUUID();
        var xml = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/api/products")).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("Accept", "application/xml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"sku\": \"" + unanswerable
                        + "\", \"name\": \"Teapot\", \"price\": {\"amount\": 30.00, \"currency\": \"EUR\"}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(xml.statusCode()).as("an answer in XML cannot be given: " + xml.body()).isEqualTo(406);
        assertThat(JsonPath.<Integer>read(call(HttpMethod.GET, "/api/products?q=" + unanswerable, null, null).getBody(), "$.page.totalElements"))
            .as("refused before anything was done, not after the product was made").isZero();
        assertThat(call(HttpMethod.POST, "/api/products", ADMIN, product(unanswerable, "Teapot", "30.00")).getStatusCode().value())
            .as("so the same request, sent again as it should be, is no duplicate").isEqualTo(201);

        String after = call(HttpMethod.GET, "/api/products/" + id, null, null).getBody();
        assertThat(JsonPath.<String>read(after, "$.name")).as("the refused changes changed nothing").isEqualTo("Kettle");
        assertThat(JsonPath.<String>read(after, "$.sku")).isEqualTo(sku);
        assertThat(JsonPath.<Integer>read(after, "$.available")).isEqualTo(3);
        assertThat(JsonPath.<List<Object>>read(call(HttpMethod.GET, "/api/inventory/" + id + "/adjustments", ADMIN, null).getBody(), "$.content"))
            .hasSize(1);
    }

    @Test
    void letsOnlyAnAdministratorChangeTheCatalogueOrTheStock() {
        Map<String, Object> body = product("SEC-" + UUID.randomUUID(), "Lock", "15.00");

        assertThat(call(HttpMethod.POST, "/api/products", null, body).getStatusCode().value()).isEqualTo(401);
        assertThat(call(HttpMethod.POST, "/api/products", CUSTOMER, body).getStatusCode().value()).isEqualTo(403);
        assertThat(call(HttpMethod.GET, "/api/inventory/audit", CUSTOMER, null).getStatusCode().value()).isEqualTo(403);
    }

    private static Map<String, Object> product(String sku, String name, String amount) {
        return product(sku, name, amount, "test");
    }

    private static Map<String, Object> product(String sku, String name, String amount, String category) {
        return Map.of("sku", sku, "name", name, "price", Map.of("amount", Double.parseDouble(amount), "currency", "EUR"),
                "category", category);
    }

    private static void assertProblem(ResponseEntity<String> response, int status) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
    }

    private ResponseEntity<String> call(HttpMethod method, String path, String token, Object body) {
        return TestHttp.localPort(port).call(method, path, token, body);
    }
}
