package dev.emporium.systemtests;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks exchanges against the committed OpenAPI documents (docs/openapi) with Atlassian's
 * swagger-request-validator: the request as documented, the response's status among the operation's
 * documented ones, its media type and its body by the schema. Stricter than the documents
 * themselves: every object schema is closed ({@code additionalProperties: false}), so a field the
 * document does not name fails as surely as an undocumented status.
 */
final class ContractCheck {

    static final List<String> SERVICES = List.of("user-service", "inventory-service", "order-service");

    private static final ObjectMapper json = new ObjectMapper();

    private final Map<String, OpenApiInteractionValidator> validators = new LinkedHashMap<>();

    ContractCheck() throws IOException {
        for (String service : SERVICES) {
            validators.put(service, OpenApiInteractionValidator.createForInlineApiSpecification(closed(document(service)))
                // the validator ignores additionalProperties by default
                .withLevelResolver(LevelResolver.create().withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                    .build())
                .build());
        }
    }

    static Path document(String service) {
        return Path.of(System.getProperty("user.dir")).resolve("../../docs/openapi").resolve(service + ".json").normalize();
    }

    /**
     * What breaks the contract in these exchanges, one line each; empty when nothing does. Every answer
     * must be as documented. Every request must be too, except one answered 400: that one must break
     * the document, or the service enforces a constraint the document does not state.
     */
    List<String> violations(List<RecordingHttpClient.Exchange> exchanges) {
        List<String> violations = new ArrayList<>();
        for (RecordingHttpClient.Exchange exchange : exchanges) {
            OpenApiInteractionValidator validator = validator(exchange.uri().getRawPath());
            Optional<String> request = errors(validator.validateRequest(request(exchange)));
            if (exchange.status() == 400 && request.isEmpty()) {
                violations.add(exchange + ": refused as invalid, but the document accepts the request " + exchange.requestBody());
            }
            if (exchange.status() != 400) {
                request.ifPresent(errors -> violations.add(exchange + ": the request breaks the document: " + errors));
            }
            violation(exchange.method(), exchange.uri().getRawPath(), exchange.status(), exchange.responseHeaders(), exchange.responseBody())
                .ifPresent(errors -> violations.add(exchange + ": " + errors));
        }
        return violations;
    }

    /**
     * What breaks the contract in one response, whatever was asked (the API fuzz test asks wrongly on
     * purpose): a status the operation does not document, another media type, a body off its schema.
     */
    Optional<String> violation(String method, String path, int status, HttpHeaders headers, String body) {
        return errors(validator(path).validateResponse(path, Request.Method.valueOf(method), response(status, headers, body)));
    }

    /**
     * What the (closed) document forbids in one request, whatever it was answered: a contract tester
     * sends such requests on purpose and takes a 2xx to them for a promise broken (Schemathesis'
     * negative_data_rejection).
     */
    Optional<String> requestViolation(String method, String path, String query, Map<String, String> headers, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        addQuery(request, query);
        headers.forEach(request::withHeader);
        if (body != null && !body.isEmpty()) {
            request.withHeader("Content-Type", "application/json").withBody(body);
        }
        return errors(validator(path).validateRequest(request.build()));
    }

    private OpenApiInteractionValidator validator(String path) {
        return validators.get(service(path));
    }

    private static Optional<String> errors(ValidationReport report) {
        List<String> errors = report.getMessages().stream().filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
            .map(message -> message.getKey() + " " + message.getMessage()).toList();
        return errors.isEmpty() ? Optional.empty() : Optional.of(errors.toString());
    }

    static String service(String path) {
        if (path.startsWith("/api/users") || path.startsWith("/.well-known")) {
            return "user-service";
        }
        if (path.startsWith("/api/products") || path.startsWith("/api/inventory")) {
            return "inventory-service";
        }
        if (path.startsWith("/api/orders")) {
            return "order-service";
        }
        throw new IllegalArgumentException("no service documents " + path);
    }

    private static Request request(RecordingHttpClient.Exchange exchange) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), exchange.uri().getRawPath());
        addQuery(request, exchange.uri().getRawQuery());
        exchange.requestHeaders().map().forEach((name, values) -> request.withHeader(name, values));
        if (!exchange.requestBody().isEmpty()) {
            request.withBody(exchange.requestBody());
        }
        return request.build();
    }

    private static void addQuery(SimpleRequest.Builder request, String rawQuery) {
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] parts = pair.split("=", 2);
                request.withQueryParam(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
            }
        }
    }

    private static com.atlassian.oai.validator.model.Response response(int status, HttpHeaders headers, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.map().forEach((name, values) -> response.withHeader(name, values));
        if (!body.isEmpty()) {
            response.withBody(body);
        }
        return response.build();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The document with {@code additionalProperties: false} on every object schema that names its properties. */
    static String closed(Path document) throws IOException {
        JsonNode root = json.readTree(Files.readString(document));
        close(root);
        return json.writeValueAsString(root);
    }

    /** Every object schema under {@code node} that names its properties gets {@code additionalProperties: false}. */
    static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && object.get("properties").isObject() && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(ContractCheck::close);
        }
        else if (node.isArray()) {
            node.elements().forEachRemaining(ContractCheck::close);
        }
    }
}
