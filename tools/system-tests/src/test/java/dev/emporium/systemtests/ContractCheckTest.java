package dev.emporium.systemtests;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the contract check lets through and what it refuses, on exchanges made up against the committed documents. */
class ContractCheckTest {

    private static final String PRODUCT = "{\"id\":\"" + UUID.randomUUID() + "\",\"sku\":\"MUG-001\",\"name\":\"Enamel mug\","
            + "\"price\":{\"amount\":24.90,\"currency\":\"EUR\"},\"available\":3";
    private static final String PROBLEM_404 = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
            + "\"detail\":\"No product has this id\",\"instance\":\"/api/products/x\"}";

    private final ContractCheck contract = new ContractCheck();

    ContractCheckTest() throws Exception {
    }

    @Test
    void passesAnswersAsDocumented() {
        assertThat(contract.violations(List.of(
                get("/api/products/" + UUID.randomUUID(), 200, "application/json", PRODUCT + "}"),
                get("/api/products/" + UUID.randomUUID(), 404, "application/problem+json", PROBLEM_404)))).isEmpty();
    }

    @Test
    void refusesAFieldTheDocumentDoesNotName() {
        assertThat(contract.violations(List.of(get("/api/products/" + UUID.randomUUID(), 200, "application/json",
                PRODUCT + ",\"costPrice\":12.00}")))).singleElement().asString().contains("costPrice");
        assertThat(contract.violations(List.of(get("/api/products/" + UUID.randomUUID(), 404, "application/problem+json",
                PROBLEM_404.replace("}", ",\"trace\":\"at dev.emporium...\"}"))))).singleElement().asString().contains("trace");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertThat(contract.violations(List.of(get("/api/products/" + UUID.randomUUID(), 200, "application/json",
                PRODUCT.replace("\"available\":3", "\"available\":\"many\"") + "}")))).singleElement().asString().contains("available");
    }

    @Test
    void refusesAStatusOrMediaTypeTheOperationDoesNotDocument() {
        assertThat(contract.violations(List.of(get("/api/products/" + UUID.randomUUID(), 418, "application/problem+json",
                PROBLEM_404.replace("404", "418"))))).hasSize(1);
        assertThat(contract.violations(List.of(get("/api/products/" + UUID.randomUUID(), 404, "text/html", "<h1>Not Found</h1>"))))
            .hasSize(1);
    }

    /** A 400 for a request the document accepts means a constraint the document does not state. */
    @Test
    void refusesA400ForARequestTheDocumentAccepts() {
        String order = "{\"lines\":[{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":%d}]}";
        String problem = "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"The request has 1 invalid field(s); see 'errors'.\"}";
        assertThat(contract.violations(List.of(post("/api/orders", order.formatted(0), 400, problem)))).as("quantity 0").isEmpty();
        assertThat(contract.violations(List.of(post("/api/orders", order.formatted(2), 400, problem)))).as("quantity 2")
            .singleElement().asString().contains("the document accepts the request");
    }

    private static RecordingHttpClient.Exchange get(String path, int status, String contentType, String body) {
        return new RecordingHttpClient.Exchange("GET", URI.create("http://localhost:8080" + path), headers(Map.of("Accept", "application/json")),
                "", status, headers(Map.of("Content-Type", contentType)), body);
    }

    private static RecordingHttpClient.Exchange post(String path, String body, int status, String answer) {
        return new RecordingHttpClient.Exchange("POST", URI.create("http://localhost:8080" + path), headers(Map.of("Content-Type",
                "application/json", "Authorization", "Bearer x.y.z", "Idempotency-Key", UUID.randomUUID().toString())), body, status,
                headers(Map.of("Content-Type", "application/problem+json")), answer);
    }

    private static HttpHeaders headers(Map<String, String> values) {
        return HttpHeaders.of(values.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                entry -> List.of(entry.getValue()))), (name, value) -> true);
    }
}
