package dev.emporium.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.emporium.launcher.GatewayReadiness;
import dev.emporium.launcher.Http;

/**
 * The shop as the chaos run's clients see it, through the gateway, and the tally of every answer:
 * what a well-behaved client may receive (2xx; 4xx for a reason; 429/503 with {@code Retry-After})
 * and what it must never receive (any other 5xx, a 429/503 without {@code Retry-After}).
 */
final class ChaosShop {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    /** An answer, or {@code status 0} when nothing answered (connection refused, timeout). */
    record Answer(int status, String body, Optional<String> retryAfter) {

        boolean answered() {
            return status != 0;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** 429 and 503 say when to come back; anything without that is not worth retrying. */
        Duration retryAfter(Duration otherwise) {
            return retryAfter.flatMap(value -> {
                try {
                    return Optional.of(Duration.ofSeconds(Math.min(10, Long.parseLong(value.trim()))));
                }
                catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }).orElse(otherwise);
        }

        Optional<String> find(Pattern pattern) {
            Matcher matcher = pattern.matcher(body);
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        }
    }

    /** Counts of every answer, by what it means for a client. */
    static final class Tally {

        final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();

        void record(String request, Answer answer) {
            String kind;
            if (!answer.answered()) {
                kind = "no answer (connection refused or timed out)";
            }
            else if (answer.ok()) {
                kind = "2xx";
            }
            else if (answer.status() == 429 || answer.status() == 503) {
                kind = answer.retryAfter().isPresent() ? answer.status() + " with Retry-After" : answer.status() + " WITHOUT Retry-After";
                if (answer.status() == 503) {
                    kind += ", " + causeOf503(answer.body());
                }
            }
            else if (answer.status() >= 400 && answer.status() < 500) {
                kind = answer.status() + (answer.body().contains("\"detail\"") ? " with a problem detail" : " WITHOUT a reason");
            }
            else {
                kind = answer.status() + " (server error)";
            }
            byKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            if ((isUnacceptable(kind) || kind.contains(INSTANCE_GONE)) && unexpected.size() < 20) {
                unexpected.add(request + " -> " + answer.status() + " " + answer.body().substring(0, Math.min(200, answer.body().length())));
            }
        }

        /**
         * Why a 503 was answered, from its problem detail: an instance gone (what a twin should have
         * taken over), load shed on purpose, or the database away.
         */
        static String causeOf503(String body) {
            for (Map.Entry<String, String> cause : CAUSES_OF_503.entrySet()) {
                if (body.contains(cause.getKey())) {
                    return cause.getValue();
                }
            }
            return "other: " + body.substring(0, Math.min(80, body.length()));
        }

        /** The 503s of an instance that died or could not be reached, not of one that chose to refuse. */
        long instanceGone() {
            return byKind.entrySet().stream().filter(entry -> entry.getKey().contains(INSTANCE_GONE))
                .mapToLong(entry -> entry.getValue().get()).sum();
        }

        static boolean isUnacceptable(String kind) {
            return kind.contains("WITHOUT") || kind.contains("server error");
        }

        /** Every 5xx a shopper saw, whatever its cause (a shed 503 included). */
        long serverErrors() {
            return byKind.entrySet().stream().filter(entry -> entry.getKey().startsWith("5")).mapToLong(entry -> entry.getValue().get()).sum();
        }

        long unacceptable() {
            return byKind.entrySet().stream().filter(entry -> isUnacceptable(entry.getKey())).mapToLong(entry -> entry.getValue().get()).sum();
        }

        long count(String kind) {
            return Optional.ofNullable(byKind.get(kind)).map(AtomicLong::get).orElse(0L);
        }
    }

    static final String INSTANCE_GONE = "instance gone";

    /** A phrase of each 503's problem detail (gateway, order-service, user-service, every service's database handler) and its cause. */
    private static final Map<String, String> CAUSES_OF_503 = new java.util.LinkedHashMap<>();

    static {
        CAUSES_OF_503.put("has no running instance", INSTANCE_GONE + ": none listed (gateway)");
        CAUSES_OF_503.put("cannot be reached right now", INSTANCE_GONE + ": it died under the request (gateway)");
        CAUSES_OF_503.put("Too many orders are being priced at once", "shed: pricing bulkhead full (order-service)");
        CAUSES_OF_503.put("circuit breaker is open", INSTANCE_GONE + ": the pricing breaker open (order-service)");
        CAUSES_OF_503.put("cannot be priced right now", INSTANCE_GONE + ": the pricing call failed (order-service)");
        CAUSES_OF_503.put("Access tokens cannot be verified", INSTANCE_GONE + ": the token keys unreachable");
        CAUSES_OF_503.put("taking more orders than it can decide", "shed: order admission");
        CAUSES_OF_503.put("Too many requests are waiting for order decisions", "shed: too many waiting for decisions");
        CAUSES_OF_503.put("Too many logins and registrations", "shed: password hashing busy");
        CAUSES_OF_503.put("too busy to take this request", "shed: database connections busy");
        CAUSES_OF_503.put("cannot reach its database", "database unreachable");
        CAUSES_OF_503.put("changed the same data at the same moment", "conflict: a concurrent change");
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String gateway;
    final Tally tally = new Tally();

    ChaosShop(String gateway) {
        this.gateway = gateway;
    }

    Answer get(String path, String token) {
        return send("GET " + path, request(path, token).GET());
    }

    Answer post(String path, String json, String token, String idempotencyKey) {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send("POST " + path, request);
    }

    /**
     * Logs in, retrying until the shop answers (it may be restarting).
     *
     * @throws LoginRefusedException at once when the shop says the address or password is wrong: no
     *         amount of waiting fixes that
     */
    String logIn(String email, String password) {
        String body = "{\"email\":\"" + GatewayReadiness.jsonEscape(email) + "\",\"password\":\""
                + GatewayReadiness.jsonEscape(password) + "\"}";
        for (int attempt = 0; attempt < 600; attempt++) {
            Answer answer = post("/api/users/login", body, null, null);
            if (answer.status() == 401) {
                throw new LoginRefusedException(email);
            }
            Optional<String> token = answer.ok() ? answer.find(Http.ACCESS_TOKEN) : Optional.empty();
            if (token.isPresent()) {
                return token.get();
            }
            pause(answer.retryAfter(Duration.ofMillis(500)));
        }
        throw new IllegalStateException("could not log in as " + email + " for 5 minutes");
    }

    /** The shop refused a login: 401, wrong address or password. */
    static final class LoginRefusedException extends IllegalStateException {

        LoginRefusedException(String email) {
            super("the shop refused the login of " + email + " (401: wrong address or password)");
        }
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(15))
            .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Answer send(String description, HttpRequest.Builder request) {
        Answer answer;
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answer = new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        }
        catch (IOException e) {
            answer = new Answer(0, e.toString(), Optional.empty());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new Answer(0, "interrupted", Optional.empty());
        }
        tally.record(description, answer);
        return answer;
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
