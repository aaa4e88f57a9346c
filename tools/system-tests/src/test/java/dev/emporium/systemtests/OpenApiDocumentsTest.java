package dev.emporium.systemtests;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed OpenAPI documents (docs/openapi, equal to what the services serve: each service's
 * *ServiceIT.servesTheCommittedOpenApiDocument) are valid OpenAPI 3, and every operation says what a client needs: who may call
 * it, a summary and a tag, every status with its body (errors as the shared Problem, application/problem+json), real media
 * types, the headers that come with 201s, 401s, 429s and 503s. Every parameter and header has a schema or a content, as
 * OpenAPI 3.0 requires: swagger-parser reads one without either, but validators of the specification's own JSON Schema
 * (those contract testers run first) refuse the whole document.
 */
class OpenApiDocumentsTest {

    static final List<String> services = ContractCheck.SERVICES;

    @ParameterizedTest
    @FieldSource("services")
    void isValidOpenApi3(String service) throws Exception {
        SwaggerParseResult parsed = parsed(service);
        assertThat(parsed.getMessages()).as(service + ": what the parser refuses").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
        assertThat(parsed.getOpenAPI().getComponents().getSchemas()).containsKey("Problem");
    }

    @ParameterizedTest
    @FieldSource("services")
    void everyOperationDocumentsWhoMayCallItEveryStatusItsBodyAndItsHeaders(String service) throws Exception {
        OpenAPI api = parsed(service).getOpenAPI();
        List<String> missing = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String where = method + " " + path;
            check(where, operation, missing);
        }));
        assertThat(missing).isEmpty();
    }

    /**
     * The links a contract tester follows from one call to the next (the placed order to {@code getOrder}, a
     * new product to its stock) lead somewhere: an operation of the same document, each parameter one that
     * operation takes, each value a field of the answer ({@code $response.body#/...}) or a path parameter of
     * the request ({@code $request.path...}). The order and the product have theirs.
     */
    @ParameterizedTest
    @FieldSource("services")
    void everyLinkLeadsToAnOperationAndFillsItsParametersFromTheAnswer(String service) throws Exception {
        OpenAPI api = parsed(service).getOpenAPI();
        Map<String, Operation> operations = new HashMap<>();
        api.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> operations.put(operation.getOperationId(), operation)));
        List<String> broken = new ArrayList<>();
        List<String> links = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> operation.getResponses().forEach((status, response) -> {
            if (response.getLinks() == null) {
                return;
            }
            response.getLinks().forEach((name, link) -> {
                String where = operation.getOperationId() + " " + status + " " + name;
                links.add(where);
                Operation target = operations.get(link.getOperationId());
                if (target == null) {
                    broken.add(where + ": no operation " + link.getOperationId());
                    return;
                }
                List<String> takes = target.getParameters() == null ? List.of() : target.getParameters().stream()
                    .map(Parameter::getName).toList();
                link.getParameters().forEach((parameter, expression) -> {
                    String value = String.valueOf(expression);
                    Map<String, Schema> fields = response.getContent() == null ? Map.of()
                            : fieldsOf(api, response.getContent().get("application/json").getSchema());
                    List<String> ownPathParameters = operation.getParameters() == null ? List.of() : operation.getParameters().stream()
                        .filter(own -> "path".equals(own.getIn())).map(own -> "$request.path." + own.getName()).toList();
                    if (!takes.contains(parameter)) {
                        broken.add(where + ": " + link.getOperationId() + " takes no parameter " + parameter);
                    }
                    else if (!(value.startsWith("$response.body#/") && fields.containsKey(value.substring("$response.body#/".length())))
                            && !ownPathParameters.contains(value)) {
                        broken.add(where + ": " + value + " is no field of the answer nor a path parameter of the request");
                    }
                });
            });
        })));
        assertThat(broken).isEmpty();
        if (service.equals("order-service")) {
            assertThat(links).contains("placeOrder 201 order", "placeOrder 201 cancel", "placeOrder 200 order");
        }
        if (service.equals("inventory-service")) {
            assertThat(links).contains("addProduct 201 product", "addProduct 201 stock", "adjustStock 201 adjustments");
        }
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, Schema> fieldsOf(OpenAPI api, Schema schema) {
        Schema resolved = schema.get$ref() == null ? schema
                : api.getComponents().getSchemas().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        return resolved.getProperties() == null ? Map.of() : resolved.getProperties();
    }

    /** One Problem for the platform: a client reads any service's errors with any service's model of it. */
    @org.junit.jupiter.api.Test
    void theThreeDocumentsShareOneProblemSchema() throws Exception {
        List<Object> problems = new ArrayList<>();
        for (String service : services) {
            problems.add(parsed(service).getOpenAPI()
                .getComponents().getSchemas().get("Problem"));
        }
        assertThat(problems).doesNotContainNull().containsOnly(problems.getFirst());
    }

    /**
     * Generators name an operation's parameter type after it (typescript-fetch: {@code GetOrderRequest}
     * for {@code getOrder}); one named like a schema ({@code order} and {@code OrderRequest}) does not compile.
     */
    @ParameterizedTest
    @FieldSource("services")
    void noOperationIsNamedLikeASchema(String service) throws Exception {
        OpenAPI api = parsed(service).getOpenAPI();
        List<String> schemas = api.getComponents().getSchemas().keySet().stream().map(String::toLowerCase).toList();
        List<String> operations = api.getPaths().values().stream().flatMap(item -> item.readOperations().stream())
            .map(Operation::getOperationId).toList();
        assertThat(operations).doesNotContainNull().allSatisfy(id -> assertThat(schemas).as(id)
            .doesNotContain(id.toLowerCase(), id.toLowerCase() + "request", id.toLowerCase() + "response"));
    }

    /**
     * What the schemas allow is what the services take: a contract tester sends values that fit a schema
     * and expects them taken. A pattern is anchored (Bean Validation's {@code @Pattern} matches the whole
     * value, JSON Schema's anywhere), a text a client sends leaves U+0000 out (refused with 400), and a
     * sort parameter lists the sorts its allow-list takes (any other is refused with 400).
     */
    @ParameterizedTest
    @FieldSource("services")
    void everyPatternIsAnchoredNoTextTakesNulAndEverySortListsWhatItTakes(String service) throws Exception {
        OpenAPI api = parsed(service).getOpenAPI();
        List<String> patterns = new ArrayList<>();
        api.getComponents().getSchemas().values().forEach(schema -> patterns(schema, patterns));
        api.getPaths().values().forEach(item -> item.readOperations().stream().filter(operation -> operation.getParameters() != null)
            .forEach(operation -> operation.getParameters().forEach(parameter -> patterns(parameter.getSchema(), patterns))));
        assertThat(patterns).as(service + ": the patterns a value must match").isNotEmpty()
            .allSatisfy(pattern -> assertThat(pattern.startsWith("^") && pattern.endsWith("$"))
                .as(pattern + " matches part of a value").isTrue());

        // every text a client sends says U+0000 is not taken (the services refuse it: PostgreSQL cannot store it)
        List<String> takingNul = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> texts(api, parameter.getSchema(), method + " " + path + " " + parameter.getName(),
                        takingNul, new HashSet<>()));
            }
            if (operation.getRequestBody() != null) {
                operation.getRequestBody().getContent().values().forEach(media -> texts(api, media.getSchema(), method + " " + path + " body",
                        takingNul, new HashSet<>()));
            }
        }));
        assertThat(takingNul).as(service + ": texts whose schema takes U+0000").isEmpty();

        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream().filter(parameter -> parameter.getName().equals("sort")).forEach(sort -> {
                    var strings = "array".equals(sort.getSchema().getType()) ? sort.getSchema().getItems() : sort.getSchema();
                    assertThat(strings.getEnum()).as(method + " " + path + ": the sorts it takes").isNotEmpty()
                        .allSatisfy(value -> assertThat(value.toString()).matches("[A-Za-z]+(,(asc|desc|ASC|DESC))?"));
                });
            }
        }));
    }

    /** Where a text of this request schema would take U+0000: a string without enum, format or a pattern that leaves it out. */
    private static void texts(OpenAPI api, Schema<?> schema, String where, List<String> takingNul,
            Set<String> seen) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (seen.add(name)) {
                texts(api, api.getComponents().getSchemas().get(name), where, takingNul, seen);
            }
            return;
        }
        if ("string".equals(schema.getType()) && schema.getEnum() == null && (schema.getFormat() == null || schema.getFormat().equals("email"))
                && (schema.getPattern() == null || Pattern.compile(schema.getPattern()).matcher("a\u0000a").find())) {
            takingNul.add(where + " (" + schema.getPattern() + ")");
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> texts(api, property, where + "." + name, takingNul, seen));
        }
        texts(api, schema.getItems(), where + "[]", takingNul, seen);
    }

    private static void patterns(Schema<?> schema, List<String> patterns) {
        if (schema == null) {
            return;
        }
        if (schema.getPattern() != null) {
            patterns.add(schema.getPattern());
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> patterns(property, patterns));
        }
        patterns(schema.getItems(), patterns);
    }

    /** The committed document of the service, as swagger-parser reads it. */
    private static SwaggerParseResult parsed(String service) throws java.io.IOException {
        return new OpenAPIV3Parser().readContents(Files.readString(ContractCheck.document(service)), null, null);
    }

    private static void check(String where, Operation operation, List<String> missing) {
        if (operation.getSummary() == null || operation.getSummary().isBlank()) {
            missing.add(where + ": no summary (the line Swagger UI shows)");
        }
        if (operation.getTags() == null || operation.getTags().isEmpty() || operation.getTags().getFirst().endsWith("-controller")) {
            missing.add(where + ": no tag of its own (the generated client's API class is named after it)");
        }
        if (operation.getSecurity() == null) {
            missing.add(where + ": no security requirement (an empty list for anonymous operations)");
        }
        String description = operation.getDescription() == null ? "" : operation.getDescription();
        boolean anonymous = operation.getSecurity() != null && operation.getSecurity().isEmpty();
        if (!description.contains(anonymous ? "Anyone may call it" : "Needs a bearer token")) {
            missing.add(where + ": its description does not say who may call it");
        }
        var responses = operation.getResponses();
        if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
            missing.add(where + ": no success response");
        }
        if (!anonymous && (!responses.containsKey("401") || responses.get("401").getHeaders() == null
                || !responses.get("401").getHeaders().containsKey("WWW-Authenticate"))) {
            missing.add(where + ": no 401 with WWW-Authenticate");
        }
        for (String status : List.of("429", "503")) {
            if (!responses.containsKey(status) || responses.get(status).getHeaders() == null
                    || !responses.get(status).getHeaders().containsKey("Retry-After")) {
                missing.add(where + ": no " + status + " with Retry-After");
            }
        }
        responses.forEach((status, response) -> {
            Content content = response.getContent();
            if (status.startsWith("4") || status.startsWith("5")) {
                if (content == null || !content.containsKey("application/problem+json")
                        || !"#/components/schemas/Problem".equals(content.get("application/problem+json").getSchema().get$ref())) {
                    missing.add(where + " " + status + ": not an application/problem+json Problem");
                }
            }
            else if (content != null && content.keySet().stream().anyMatch(type -> !type.equals("application/json"))) {
                missing.add(where + " " + status + ": media types " + content.keySet() + " instead of application/json");
            }
            if (status.equals("201") && (response.getHeaders() == null || !response.getHeaders().containsKey("Location"))) {
                missing.add(where + " 201: no Location header");
            }
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                missing.add(where + " " + status + ": no description");
            }
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, header) -> {
                    if ((header.getSchema() == null) == (header.getContent() == null)) {
                        missing.add(where + " " + status + ": header " + name + " has not exactly one of schema and content");
                    }
                });
            }
        });
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(parameter -> (parameter.getSchema() == null) == (parameter.getContent() == null))
                .forEach(parameter -> missing.add(where + ": parameter " + parameter.getName() + " has not exactly one of schema and content"));
        }
    }
}
