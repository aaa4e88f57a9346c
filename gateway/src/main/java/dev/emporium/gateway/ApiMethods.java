package dev.emporium.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which methods each path of the API takes, as the committed OpenAPI documents say (docs/openapi, built
 * into the gateway's jar; each service's tests hold its document equal to what it serves). A method a
 * path does not take is answered 405 with {@code Allow}, and {@code OPTIONS} is answered 204 with
 * {@code Allow}, before the token is looked at: whoever asks, a method that does not exist gets the same
 * answer, and it says which to use (RFC 9110), instead of a 401 or a 403 that would send a client looking
 * for a token. A path the documents do not name is left to the rest of the chain (deny by default).
 * <p>
 * It runs inside the security filter chain ({@link GatewaySecurity}), after the security headers are
 * written and before authentication, so its answers carry the same headers as every other. (Not a bean:
 * WebFlux would also run every WebFilter bean outside that chain.)
 */
class ApiMethods implements WebFilter {

    /** The documents the services' tests keep equal to what they serve, copied into the jar at build time. */
    static final List<String> DOCUMENTS = List.of("openapi/user-service.json", "openapi/inventory-service.json", "openapi/order-service.json");

    /** The order {@code Allow} lists methods in. */
    private static final List<HttpMethod> ORDER = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    /** A path of the API and the methods it takes, HEAD with GET and OPTIONS always. */
    record Path(PathPattern pattern, Set<HttpMethod> methods) {

        String allow() {
            return ORDER.stream().filter(methods::contains).map(HttpMethod::name).collect(Collectors.joining(", "));
        }
    }

    /** Most specific first: {@code /api/users/login} is found before {@code /api/users/{id}}. */
    private final List<Path> paths;
    private final Problems problems;

    ApiMethods(Problems problems) {
        this(read(DOCUMENTS), problems);
    }

    ApiMethods(List<Path> paths, Problems problems) {
        this.paths = paths.stream().sorted(Comparator.comparing(Path::pattern, PathPattern.SPECIFICITY_COMPARATOR)).toList();
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        Optional<Path> path = pathOf(exchange.getRequest().getPath().pathWithinApplication());
        if (path.isEmpty() || (path.get().methods().contains(method) && !HttpMethod.OPTIONS.equals(method))) {
            return chain.filter(exchange);
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.ALLOW, path.get().allow());
        if (HttpMethod.OPTIONS.equals(method)) {
            exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return ReadEveryRequestToItsEnd.readToItsEnd(exchange.getRequest()).onErrorComplete()
                .then(Mono.defer(() -> exchange.getResponse().setComplete()));
        }
        return problems.answer(exchange, HttpStatus.METHOD_NOT_ALLOWED, exchange.getRequest().getPath().value() + " does not take "
                + method.name() + "; it takes " + path.get().allow() + " (see Allow). Nothing was done.");
    }

    /** The API's path this request path is, if any. */
    Optional<Path> pathOf(PathContainer requestPath) {
        return paths.stream().filter(path -> path.pattern().matches(requestPath)).findFirst();
    }

    /** Every path of these documents with its methods; a path in two documents takes the methods of both. */
    static List<Path> read(List<String> documents) {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Set<HttpMethod>> methods = new TreeMap<>();
        for (String document : documents) {
            try (InputStream in = new ClassPathResource(document).getInputStream()) {
                json.readTree(in).get("paths").properties().forEach(path -> {
                    Set<HttpMethod> taken = methods.computeIfAbsent(path.getKey(), key -> new HashSet<>(Set.of(HttpMethod.OPTIONS)));
                    // a path item also holds "parameters", "summary" and such: only its operations are methods
                    for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                        ORDER.stream().filter(known -> known.name().equalsIgnoreCase(operation.getKey())).forEach(taken::add);
                    }
                    if (taken.contains(HttpMethod.GET)) {
                        taken.add(HttpMethod.HEAD);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("The gateway reads which methods each path takes from " + document
                        + " on its class path (copied from docs/openapi when it is built), and could not", e);
            }
        }
        List<Path> paths = new ArrayList<>();
        methods.forEach((path, taken) -> paths.add(new Path(PathPatternParser.defaultInstance.parse(path), taken)));
        return paths;
    }
}
