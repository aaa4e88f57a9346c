package dev.emporium.systemtests;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * An API fuzzer driven by the services' own OpenAPI documents: every operation is called through the
 * gateway with generated bad input (wrong types, missing and extra fields, huge numbers, long strings, U+0000,
 * unknown enum values, malformed ids, odd {@code sort}/{@code page}/{@code size}, bad headers), as each
 * caller given. What it reports is every answer that breaks the rules: a 5xx; a 4xx that is not
 * {@code application/problem+json}; any answer whose status, media type or body the operation does not
 * document ({@link ContractCheck}: Atlassian's swagger-request-validator, an unnamed field included); a 400
 * to the request made as documented (the examples, fresh ids and addresses), which a contract tester
 * reports as valid data refused; a 2xx to a request the document forbids, which it reports as invalid
 * data taken. Every operation the document secures is asked without a valid token: 401 is the only
 * right answer; every one that lists a 406 is asked for XML: 406 is. Every path is also asked with
 * each method it does not take, anonymously too: a 405 naming the methods it takes is the only right
 * answer.
 */
final class ApiFuzz {

    /** One answer that breaks the rules. */
    record Finding(String caller, String method, String path, String input, int status, String problem) {

        @Override
        public String toString() {
            return caller + " " + method + " " + path + " [" + input + "] -> " + status + ": " + problem;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LONG = "x".repeat(5000);
    private static final String HUGE = "9".repeat(40);

    private final String gateway;
    private final ContractCheck contract;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int requests;
    /** The status of the last {@link #call}, for a check that wants one status where {@code call} takes any documented one. */
    private int lastStatus;

    ApiFuzz(String gateway, ContractCheck contract) {
        this.gateway = gateway;
        this.contract = contract;
    }

    int requests() {
        return requests;
    }

    /**
     * @param document the OpenAPI document (JSON) of one service, as the gateway serves it
     * @param callers a name and a bearer token for each caller
     */
    List<Finding> fuzz(String document, Map<String, String> callers) throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIV3Parser().readContents(document, null, options).getOpenAPI();
        List<Finding> findings = new ArrayList<>();
        for (var path : api.getPaths().entrySet()) {
            for (var operation : path.getValue().readOperationsMap().entrySet()) {
                List<Case> cases = cases(path.getKey(), operation.getValue());
                for (Case input : cases) {
                    for (var caller : callers.entrySet()) {
                        call(operation.getKey().name(), path.getKey(), input, caller.getKey(), caller.getValue())
                            .ifPresent(findings::add);
                    }
                }
                if (operation.getValue().getSecurity() != null && !operation.getValue().getSecurity().isEmpty()) {
                    findings.addAll(withoutAValidToken(operation.getKey().name(), path.getKey(), cases.getFirst()));
                }
                if (operation.getValue().getResponses().containsKey("406")) {
                    Case unanswerable = cases.getFirst();
                    Map<String, String> xml = new LinkedHashMap<>(unanswerable.headers());
                    xml.put("Accept", "application/xml");
                    Case asXml = new Case("Accept: application/xml", unanswerable.path(), unanswerable.query(), xml, unanswerable.body());
                    for (var caller : callers.entrySet()) {
                        Optional<Finding> broken = call(operation.getKey().name(), path.getKey(), asXml, caller.getKey(), caller.getValue());
                        broken.ifPresent(findings::add);
                        // the caller's rights and the gateway's rate limit are decided first; either way nothing is done
                        if (broken.isEmpty() && !List.of(406, 401, 403, 429).contains(lastStatus)) {
                            findings.add(new Finding(caller.getKey(), operation.getKey().name(), asXml.path(), asXml.description(), lastStatus,
                                    "expected 406, before the operation does anything, for an Accept that takes no JSON"));
                        }
                    }
                }
            }
            Map<String, String> everyone = new LinkedHashMap<>(callers);
            everyone.put("anonymous", null);
            for (var caller : everyone.entrySet()) {
                methodsNotTaken(path.getKey(), path.getValue(), caller.getKey(), caller.getValue()).forEach(findings::add);
            }
        }
        return findings;
    }

    /**
     * An operation the document secures, asked as documented with no token and with tokens that are none
     * (garbage, unsigned, another issuer's form): 401, whatever the operation would have answered, as a
     * contract tester checks (Schemathesis' ignored_auth).
     */
    private List<Finding> withoutAValidToken(String method, String template, Case asDocumented) throws Exception {
        String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url("{\"sub\":\"" + UUID.randomUUID()
                + "\",\"roles\":[\"ADMIN\"],\"exp\":4102444800}") + ".";
        Map<String, String> strangers = new LinkedHashMap<>();
        strangers.put("anonymous", null);
        strangers.put("a token that is none", "not-a-token");
        strangers.put("an unsigned token", unsigned);
        List<Finding> findings = new ArrayList<>();
        for (var stranger : strangers.entrySet()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + asDocumented.path())).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, asDocumented.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(asDocumented.body()));
            if (stranger.getValue() != null) {
                request.header("Authorization", "Bearer " + stranger.getValue());
            }
            if (asDocumented.body() != null) {
                request.header("Content-Type", "application/json");
            }
            asDocumented.headers().forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            requests++;
            String problem = response.statusCode() != 401 ? "expected 401 for an operation the document secures"
                    : contract.violation(method, template, 401, response.headers(), response.body())
                        .map(violation -> "an answer the OpenAPI document does not describe: " + violation).orElse(null);
            if (problem != null) {
                findings.add(new Finding(stranger.getKey(), method, asDocumented.path(), AS_DOCUMENTED, response.statusCode(), problem));
            }
        }
        return findings;
    }

    private static String base64Url(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The methods a client may try on a path; HEAD and OPTIONS come with GET and with every path. */
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * Each method a path does not take, as a contract tester tries them (Schemathesis' unsupported_method):
     * a 405 whose {@code Allow} names the methods the document gives the path, whoever asks, and OPTIONS
     * naming the same.
     */
    private List<Finding> methodsNotTaken(String template, io.swagger.v3.oas.models.PathItem item, String caller, String token)
            throws Exception {
        List<String> documented = item.readOperationsMap().keySet().stream().map(Enum::name).toList();
        Map<String, String> pathValues = new LinkedHashMap<>();
        item.readOperations().stream().flatMap(operation -> operation.getParameters() == null ? Stream.empty()
                : operation.getParameters().stream()).filter(parameter -> "path".equals(parameter.getIn()))
            .forEach(parameter -> pathValues.put(parameter.getName(), validValue(parameter.getSchema())));
        String path = fill(template, pathValues);
        List<Finding> findings = new ArrayList<>();
        for (String method : Stream.concat(METHODS.stream().filter(method -> !documented.contains(method)), Stream.of("OPTIONS")).toList()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            requests++;
            int expected = method.equals("OPTIONS") ? 204 : 405;
            List<String> allowed = Arrays.stream(response.headers().firstValue("Allow").orElse("").split(","))
                .map(String::trim).filter(name -> !name.isEmpty() && !name.equals("HEAD") && !name.equals("OPTIONS")).sorted().toList();
            String problem = response.statusCode() != expected ? "expected " + expected + " for a method the path does not take"
                    : !allowed.equals(documented.stream().sorted().toList()) ? "Allow names " + allowed + ", the document " + documented
                    : expected == 405 && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                        ? "a 405 that is not application/problem+json" : null;
            if (problem != null) {
                findings.add(new Finding(caller, method, path, "a method the path does not take", response.statusCode(), problem));
            }
        }
        return findings;
    }

    /** The request each operation is first sent: nothing wrong with it. */
    private static final String AS_DOCUMENTED = "as documented";

    /** One request to make: its path with values, query, headers and body, and what is wrong with it. */
    private record Case(String description, String path, String query, Map<String, String> headers, String body) {
    }

    private List<Case> cases(String template, Operation operation) {
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            if ("path".equals(parameter.getIn())) {
                boolean uuid = parameter.getSchema() != null && "uuid".equals(parameter.getSchema().getFormat());
                pathValues.put(parameter.getName(), parameter.getExample() != null && !uuid ? String.valueOf(parameter.getExample())
                        : validValue(parameter.getSchema()));
            }
            if ("header".equals(parameter.getIn()) && Boolean.TRUE.equals(parameter.getRequired())) {
                headers.put(parameter.getName(), "fuzz-" + UUID.randomUUID());
            }
        }
        Schema<?> bodySchema = operation.getRequestBody() == null || operation.getRequestBody().getContent() == null ? null
                : operation.getRequestBody().getContent().values().stream().findFirst().map(media -> media.getSchema()).orElse(null);
        String validBody = bodySchema == null ? null : validJson(bodySchema).toString();

        List<Case> cases = new ArrayList<>();
        cases.add(new Case(AS_DOCUMENTED, fill(template, pathValues), "", headers, validBody));
        for (String name : pathValues.keySet()) {
            for (String bad : List.of("not-a-uuid", "1' or '1'='1", HUGE, LONG, "-1", "%2e%2e%2f")) {
                Map<String, String> values = new LinkedHashMap<>(pathValues);
                values.put(name, bad);
                cases.add(new Case("path " + name + "=" + abbreviated(bad), fill(template, values), "", headers, validBody));
            }
        }
        for (Parameter parameter : parameters) {
            if ("query".equals(parameter.getIn())) {
                for (String bad : badQueryValues(parameter)) {
                    cases.add(new Case("query " + parameter.getName() + "=" + abbreviated(bad), fill(template, pathValues),
                            parameter.getName() + "=" + URLEncoder.encode(bad, StandardCharsets.UTF_8), headers, validBody));
                }
            }
            if ("header".equals(parameter.getIn())) {
                for (String bad : List.of("", "x", LONG.substring(0, 300), "äöü ☃")) {
                    Map<String, String> badHeaders = new LinkedHashMap<>(headers);
                    badHeaders.put(parameter.getName(), bad);
                    cases.add(new Case("header " + parameter.getName() + "=" + abbreviated(bad), fill(template, pathValues), "", badHeaders,
                            validBody));
                }
            }
        }
        // every list endpoint: a sort, a page and a size nobody documented
        if (operation.getParameters() != null && parameters.stream().anyMatch(p -> "query".equals(p.getIn()))) {
            for (String query : List.of("sort=nosuchcolumn", "sort=pg_catalog.pg_reload_conf()", "sort=id%3Bdrop%20table%20x", "sort=,desc",
                    "page=-1", "page=abc", "size=0", "size=100000", "size=" + HUGE)) {
                cases.add(new Case("query " + query, fill(template, pathValues), query, headers, validBody));
            }
        }
        if (bodySchema != null) {
            for (String bad : List.of("", "not json", "[]", "null", "123", "\"text\"", "{}", "{\"a\":")) {
                cases.add(new Case("body " + abbreviated(bad), fill(template, pathValues), "", headers, bad));
            }
            for (var variant : badBodies(bodySchema).entrySet()) {
                cases.add(new Case("body " + variant.getKey(), fill(template, pathValues), "", headers, variant.getValue()));
            }
        }
        return cases;
    }

    private static List<String> badQueryValues(Parameter parameter) {
        List<String> values = new ArrayList<>(List.of(LONG, "", "%00", "nul\u0000byte", "' or 1=1--"));
        String type = parameter.getSchema() == null ? "string" : String.valueOf(parameter.getSchema().getType());
        if (type.equals("integer") || type.equals("number")) {
            values.addAll(List.of("abc", "-1", HUGE, "1.5", "NaN"));
        }
        if (parameter.getSchema() != null && parameter.getSchema().getEnum() != null) {
            values.add("NOT_A_VALUE");
        }
        return values;
    }

    /** The body as documented, with one property at a time made wrong in each way. */
    private static Map<String, String> badBodies(Schema<?> schema) {
        Map<String, String> bodies = new LinkedHashMap<>();
        ObjectNode valid = validJson(schema) instanceof ObjectNode object ? object : null;
        if (valid == null) {
            return bodies;
        }
        ObjectNode extra = valid.deepCopy();
        extra.put("role", "ADMIN");
        extra.put("id", UUID.randomUUID().toString());
        bodies.put("with extra fields", extra.toString());
        Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
        for (var property : properties.entrySet()) {
            String name = property.getKey();
            Map<String, JsonNode> wrongs = new LinkedHashMap<>();
            wrongs.put("missing", null);
            wrongs.put("null", NODES.nullNode());
            wrongs.put("a number", NODES.numberNode(12345));
            wrongs.put("a string", NODES.textNode("not what it wants"));
            wrongs.put("a long string", NODES.textNode(LONG));
            wrongs.put("a string holding U+0000", NODES.textNode("nul\u0000byte"));
            wrongs.put("an object", NODES.objectNode().put("x", 1));
            wrongs.put("an array", NODES.arrayNode().add(1));
            wrongs.put("huge", NODES.numberNode(new java.math.BigDecimal(HUGE + HUGE)));
            wrongs.put("negative", NODES.numberNode(-1));
            if (property.getValue().getEnum() != null) {
                wrongs.put("an unknown enum value", NODES.textNode("NOT_A_VALUE"));
            }
            Schema<?> items = property.getValue().getItems();
            if (items != null && validJson(items) instanceof ObjectNode item) {
                ArrayNode many = NODES.arrayNode();
                for (int i = 0; i < 1000; i++) {
                    many.add(item.deepCopy());
                }
                wrongs.put("a thousand items", many);
                ObjectNode badItem = item.deepCopy();
                List<String> fields = new ArrayList<>();
                badItem.fieldNames().forEachRemaining(fields::add);
                fields.forEach(field -> badItem.put(field, "nope"));
                wrongs.put("items of the wrong types", NODES.arrayNode().add(badItem));
            }
            wrongs.forEach((how, value) -> {
                ObjectNode body = valid.deepCopy();
                if (value == null) {
                    body.remove(name);
                }
                else {
                    body.set(name, value);
                }
                bodies.put(name + " " + how, body.toString());
            });
        }
        return bodies;
    }

    /**
     * A value the schema accepts: its example where it has one (a pattern or a bound is then met), a
     * fresh e-mail address and UUID (so that a second request is no duplicate), a value of the right
     * type otherwise.
     */
    private static JsonNode validJson(Schema<?> schema) {
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return NODES.textNode(String.valueOf(schema.getEnum().getFirst()));
        }
        if (schema.getExample() != null && schema.getFormat() == null && schema.getProperties() == null && schema.getItems() == null) {
            return schema.getExample() instanceof Number number ? NODES.numberNode(new java.math.BigDecimal(number.toString()))
                    : NODES.textNode(String.valueOf(schema.getExample()));
        }
        String type = schema.getType() != null ? schema.getType()
                : schema.getTypes() != null && !schema.getTypes().isEmpty() ? schema.getTypes().iterator().next()
                : schema.getProperties() != null ? "object" : "string";
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((name, property) -> object.set(name, validJson(property)));
                }
                yield object;
            }
            case "array" -> NODES.arrayNode().add(schema.getItems() == null ? NODES.textNode("x") : validJson(schema.getItems()));
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(new java.math.BigDecimal("1.00"));
            case "boolean" -> NODES.booleanNode(true);
            default -> NODES.textNode(validValue(schema));
        };
    }

    private static String validValue(Schema<?> schema) {
        String format = schema == null ? "" : String.valueOf(schema.getFormat());
        String type = schema == null ? "" : String.valueOf(schema.getType());
        return format.equals("uuid") ? UUID.randomUUID().toString()
                : format.equals("email") ? "fuzz-" + UUID.randomUUID() + "@example.org"
                : schema != null && schema.getExample() != null ? String.valueOf(schema.getExample())
                : type.equals("integer") || type.equals("number") ? "1" : "fuzz-" + UUID.randomUUID();
    }

    private static String fill(String template, Map<String, String> values) {
        String path = template;
        for (var value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", URLEncoder.encode(value.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path;
    }

    private Optional<Finding> call(String method, String template, Case input, String caller, String token) throws Exception {
        String url = gateway + input.path() + (input.query().isEmpty() ? "" : "?" + input.query());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Accept", input.headers().getOrDefault("Accept", "application/json"))
            .method(method, input.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(input.body()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (input.body() != null) {
            request.header("Content-Type", "application/json");
        }
        Map<String, String> sent = new LinkedHashMap<>();
        input.headers().forEach((name, value) -> {
            if (!value.isEmpty() && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !name.equals("Accept")) {
                request.header(name, value);
                sent.put(name, value);
            }
        });
        if (token != null) {
            sent.put("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        requests++;
        int status = response.statusCode();
        lastStatus = status;
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String problem;
        if (status >= 500) {
            problem = "a server error: " + abbreviated(response.body());
        }
        else if (status == 400 && input.description().equals(AS_DOCUMENTED)) {
            // what a contract tester calls schema-valid data refused: the document promises more than is taken
            problem = "a request as the document describes it, refused: " + abbreviated(response.body());
        }
        else if (status >= 400 && status < 500 && !contentType.startsWith("application/problem+json")) {
            problem = "an error that is not application/problem+json (" + contentType + "): " + abbreviated(response.body());
        }
        else {
            problem = contract.violation(method, template, status, response.headers(), response.body())
                .map(violation -> "an answer the OpenAPI document does not describe: " + violation).orElse(null);
        }
        if (problem == null && status < 300 && !input.description().equals(AS_DOCUMENTED)) {
            // what a contract tester calls schema-invalid data taken: the document forbids what the service did
            problem = contract.requestViolation(method, input.path(), input.query(), sent, input.body())
                .map(violation -> "a request the OpenAPI document forbids, taken: " + violation).orElse(null);
        }
        return Optional.ofNullable(problem).map(text -> new Finding(caller, method, input.path(), input.description(), status, text));
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
