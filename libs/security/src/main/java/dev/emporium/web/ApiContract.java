package dev.emporium.web;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.links.Link;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * What every operation of every service's OpenAPI document says without being written out at each
 * controller: who may call it ({@link Access}), the errors the platform answers for any request
 * (each an RFC 9457 {@code Problem} in {@code application/problem+json}, with the headers that come
 * with it), {@code application/json} for what succeeds, {@code Location} on a 201, and the page-size
 * bound. What only one operation answers (its 404, 409, 422, a 503 of its own) is written at its
 * handler with {@code @ApiResponse}; this fills in the body of those too.
 */
public final class ApiContract implements GlobalOperationCustomizer, GlobalOpenApiCustomizer {

    public static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";

    /** The services' {@code spring.data.web.pageable.max-page-size}, and the product search's own bound. */
    public static final int MAX_PAGE_SIZE = 100;

    /** The example of every {@code format: uuid} that has none of its own. */
    static final String EXAMPLE_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        openApi.getComponents().getSchemas().values().forEach(ApiContract::tidy);
        Set<String> requestSchemas = new HashSet<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(parameter -> {
                        tidy(parameter.getSchema());
                        withoutNul(parameter.getSchema());
                    });
                }
                if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().values().forEach(media -> referenced(openApi, media.getSchema(), requestSchemas));
                }
            }));
        }
        requestSchemas.forEach(name -> {
            Schema<?> schema = openApi.getComponents().getSchemas().get(name);
            properties(schema).forEach(ApiContract::withoutNul);
            closed(schema);
        });
    }

    /**
     * A request schema names every field the services take: the services refuse any other with a 400
     * ({@code strictRequestBodies}), so that a misspelt field is never passed over, and the document says
     * so with {@code additionalProperties: false}, for a contract tester and a generated client alike.
     */
    private static void closed(Schema<?> schema) {
        if (schema != null && schema.getProperties() != null && schema.getAdditionalProperties() == null) {
            schema.setAdditionalProperties(false);
        }
    }

    /** Any character but U+0000, which PostgreSQL cannot store: the services refuse it in every text they are sent (400). */
    static final String NO_NUL = "^[^\\x00]*$";

    /** {@link ValidationInDocuments#NOT_BLANK}, anchored, without U+0000. */
    static final String NOT_BLANK_NO_NUL = "^[^\\x00]*[^\\x00-\\x20][^\\x00]*$";

    /**
     * A text a client sends, as the services take it: without U+0000. A schema that fits every string
     * would tell a contract tester that one holding U+0000 is taken; it is refused. A pattern that lists
     * the characters it takes already leaves U+0000 out; the not-blank pattern and no pattern do not.
     */
    private static void withoutNul(Schema<?> schema) {
        if (schema == null || !"string".equals(schema.getType()) || schema.getEnum() != null
                || schema.getFormat() != null && !schema.getFormat().equals("email")) {
            return;
        }
        if (schema.getPattern() == null) {
            schema.setPattern(NO_NUL);
        }
        else if (schema.getPattern().equals(ValidationInDocuments.NOT_BLANK)) {
            schema.setPattern(NOT_BLANK_NO_NUL);
        }
    }

    /** The names of the component schemas this schema refers to, itself and its properties' and items' included, each once. */
    private static void referenced(OpenAPI openApi, Schema<?> schema, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (names.add(name)) {
                referenced(openApi, openApi.getComponents().getSchemas().get(name), names);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> referenced(openApi, property, names));
        }
        referenced(openApi, schema.getItems(), names);
    }

    /** The schema's properties and their items, not following references (each component is visited by its own name). */
    private static List<Schema<?>> properties(Schema<?> schema) {
        List<Schema<?>> found = new ArrayList<>();
        if (schema != null && schema.getProperties() != null) {
            for (Schema<?> property : schema.getProperties().values()) {
                found.add(property);
                if (property.getItems() != null) {
                    found.add(property.getItems());
                }
            }
        }
        return found;
    }

    /**
     * What tools that generate requests from a schema need: {@code @Size(max = n)} also writes
     * {@code minLength: 0}, a bound no value can break, which contract testers then try to break with an
     * empty string and expect a 400; and a {@code format: uuid} without an example gets generated values
     * that are no UUID ({@code urn:uuid:...}), so the request fails before it tests anything. A
     * {@code @Pattern}'s pattern is anchored, as Bean Validation applies it ({@link ValidationInDocuments}).
     */
    private static void tidy(Schema<?> schema) {
        if (schema == null) {
            return;
        }
        if (schema.getMinLength() != null && schema.getMinLength() == 0) {
            schema.setMinLength(null);
        }
        if ("uuid".equals(schema.getFormat()) && schema.getExample() == null) {
            schema.setExample(EXAMPLE_UUID);
        }
        if (schema.getPattern() != null) {
            schema.setPattern(ValidationInDocuments.anchored(schema.getPattern()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(ApiContract::tidy);
        }
        tidy(schema.getItems());
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        Access.Level access = access(operation, handler);
        operation.setDescription(operation.getDescription() == null ? access.sentence()
                : operation.getDescription().strip() + "\n\n" + access.sentence());
        operation.setSecurity(access == Access.Level.ANONYMOUS ? new ArrayList<>()
                : new ArrayList<>(List.of(new SecurityRequirement().addList("bearer"))));

        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        if (operation.getRequestBody() != null || !parameters.isEmpty()) {
            ensure(responses, "400", "The request is invalid: a parameter or field breaks its constraints (each one listed in `errors`),"
                    + " the body is not JSON of the expected shape, or the sort is not offered (the ones that are, in `allowed`).");
        }
        if (access != Access.Level.ANONYMOUS) {
            ensure(responses, "401", "No valid bearer token: log in (POST /api/users/login) and send the token as `Authorization: Bearer <token>`.")
                .addHeaderObject("WWW-Authenticate", header("`Bearer`: the scheme to authenticate with"));
        }
        if (access == Access.Level.ADMINISTRATOR) {
            ensure(responses, "403", "The token is valid but not an administrator's.");
        }
        if (operation.getRequestBody() != null) {
            ensure(responses, "413", "The body is larger than 64 KiB; nothing was read or changed.");
            ensure(responses, "415", "The body is not `application/json`; nothing was read or changed.");
        }
        if (responses.entrySet().stream().anyMatch(answer -> answer.getKey().startsWith("2") && answer.getValue().getContent() != null)) {
            ensure(responses, "406", "`Accept` takes no `application/json`, the only form of this answer.");
        }
        ensure(responses, "414", "The URL is longer than 4096 characters; nothing was done.");
        ensure(responses, "429", "Too many requests from this address (the gateway's rate limit); nothing changed. Retry after `Retry-After` seconds.")
            .addHeaderObject("Retry-After", retryAfter());
        ensure(responses, "503", "The service cannot take the request right now (its database or the service itself is unavailable,"
                + " or it is too busy); nothing changed. Retry after `Retry-After` seconds.")
            .addHeaderObject("Retry-After", retryAfter());

        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
            else if (response.getContent() != null && response.getContent().containsKey("*/*")) {
                MediaType any = response.getContent().remove("*/*");
                response.getContent().addMediaType(JSON, any);
            }
            if (status.equals("201") && (response.getHeaders() == null || !response.getHeaders().containsKey("Location"))) {
                response.addHeaderObject("Location", header("The URL of what was created").schema(new StringSchema().format("uri-reference")));
            }
        });
        links(responses, handler);
        sorted(responses);
        for (Parameter parameter : parameters) {
            Schema<?> schema = parameter.getSchema();
            if (!"query".equals(parameter.getIn()) || schema == null) {
                continue;
            }
            switch (parameter.getName()) {
                case "size" -> schema.setMaximum(schema.getMaximum() == null ? BigDecimal.valueOf(MAX_PAGE_SIZE) : schema.getMaximum());
                // PageBounds takes any int: a larger page would be refused though the document allowed it
                case "page" -> schema.setMaximum(schema.getMaximum() == null ? BigDecimal.valueOf(Integer.MAX_VALUE) : schema.getMaximum());
                case "sort" -> sortAllowList(handler).ifPresent(sortable -> offered(schema, sortable));
                default -> {
                }
            }
        }
        return operation;
    }

    /**
     * The links of the handler's {@code @ApiResponse}s ({@code links = @Link(...)}: which operation takes a
     * value of this answer next, e.g. the placed order's id for {@code getOrder}), which springdoc does not
     * write into the document by itself. Contract testers follow them from one call to the next.
     */
    private static void links(ApiResponses responses, HandlerMethod handler) {
        for (var annotated : AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(),
                io.swagger.v3.oas.annotations.responses.ApiResponse.class, io.swagger.v3.oas.annotations.responses.ApiResponses.class)) {
            ApiResponse response = responses.get(annotated.responseCode());
            for (var link : annotated.links()) {
                if (response != null && (response.getLinks() == null || !response.getLinks().containsKey(link.name()))) {
                    Link written = new Link().operationId(link.operationId()).description(link.description().isBlank() ? null : link.description());
                    for (var parameter : link.parameters()) {
                        written.parameters(parameter.name(), parameter.expression());
                    }
                    response.link(link.name(), written);
                }
            }
        }
    }

    /**
     * The handler's sort allow-list: the static {@link SortAllowList} field of its controller (a list
     * endpoint keeps it there, e.g. {@code SORTABLE}).
     */
    private static Optional<SortAllowList> sortAllowList(HandlerMethod handler) {
        for (Field field : handler.getBeanType().getDeclaredFields()) {
            if (field.getType() == SortAllowList.class && Modifier.isStatic(field.getModifiers())) {
                try {
                    field.setAccessible(true);
                    return Optional.of((SortAllowList) field.get(null));
                }
                catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + field + " to document the sorts it offers", e);
                }
            }
        }
        return Optional.empty();
    }

    /** Every sort the allow-list takes, as an enum: the property alone, or with a direction. */
    @SuppressWarnings("unchecked")
    private static void offered(Schema<?> sort, SortAllowList sortable) {
        List<String> values = sortable.names().stream()
            .flatMap(name -> Stream.of(name, name + ",asc", name + ",desc", name + ",ASC", name + ",DESC"))
            .toList();
        Schema<Object> strings = (Schema<Object>) ("array".equals(sort.getType()) ? sort.getItems() : sort);
        strings.setEnum(new ArrayList<>(values));
    }

    /**
     * {@link Access} on the handler or its controller; for a library's controller that cannot see it
     * (the dead letters of libs/messaging), the operation's {@code x-access: {level: ...}} extension.
     */
    private static Access.Level access(Operation operation, HandlerMethod handler) {
        Access access = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Access.class);
        if (access == null) {
            access = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), Access.class);
        }
        if (access != null) {
            return access.value();
        }
        if (operation.getExtensions() != null && operation.getExtensions().get("x-access") instanceof Map<?, ?> declared
                && declared.get("level") != null) {
            return Access.Level.valueOf(declared.get("level").toString());
        }
        return Access.Level.CUSTOMER;
    }

    /** The response of that status: the handler's own (its description kept), or this one. */
    private static ApiResponse ensure(ApiResponses responses, String status, String description) {
        return responses.computeIfAbsent(status, code -> new ApiResponse().description(description));
    }

    private static void sorted(ApiResponses responses) {
        Map<String, ApiResponse> byStatus = new java.util.TreeMap<>(responses);
        responses.clear();
        responses.putAll(byStatus);
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }

    private static Header retryAfter() {
        return new Header().description("Seconds to wait before trying again").schema(new IntegerSchema().minimum(BigDecimal.ONE));
    }

    /** RFC 9457 problem details as the platform writes them (Spring's {@code ProblemDetail}, and the gateway's). */
    static Schema<?> problemSchema() {
        ObjectSchema field = new ObjectSchema();
        field.addProperty("field", new StringSchema().description("The field or parameter, e.g. `lines[0].quantity`").example("lines[0].quantity"));
        field.addProperty("message", new StringSchema().description("What is wrong with it").example("must be greater than or equal to 1"));
        field.setRequired(List.of("field", "message"));
        ObjectSchema problem = new ObjectSchema();
        problem.description("An error, as RFC 9457 problem details: `title` and `status` always, `detail` says what happened"
                + " and what to do, in words for the person using the client.");
        problem.addProperty("type", new StringSchema().format("uri-reference").description("The kind of problem; `about:blank` where the status says it all")
            .example("about:blank"));
        problem.addProperty("title", new StringSchema().description("The status's short name").example("Bad Request"));
        problem.addProperty("status", new IntegerSchema().minimum(BigDecimal.valueOf(400)).maximum(BigDecimal.valueOf(599))
            .description("The HTTP status").example(400));
        problem.addProperty("detail", new StringSchema().description("What went wrong, and what to do about it")
            .example("The request has 1 invalid field(s); see 'errors'."));
        problem.addProperty("instance", new StringSchema().format("uri-reference").description("The path that was called").example("/api/orders"));
        problem.addProperty("errors", new ArraySchema().items(field).description("400 for invalid fields or parameters: each one, and why"));
        problem.addProperty("allowed", new ArraySchema().items(new StringSchema()).description("400 for an unsupported sort: the properties it may be sorted by")
            .example(List.of("placedAt", "status", "total")));
        problem.setRequired(List.of("title", "status"));
        return problem;
    }
}
