package dev.emporium.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/** The few HTTP calls the launcher makes to see whether the platform is up. */
public final class Http {

    /** The access token in a login's answer (group 1). */
    public static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * HTTP/1.1, as the gateway speaks it: the JDK's default (HTTP/2) would ask every new connection to
     * upgrade to h2c, which the gateway declines, one more step that nothing here needs.
     */
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    /** Status and body, or status 0 and the error when nothing answered. */
    public static Response get(String url, String accept) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).header("Accept", accept).GET().build());
    }

    /** A GET with HTTP Basic credentials (the registry's). */
    public static Response getAs(String url, String accept, String user, String password) {
        String basic = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).header("Accept", accept)
            .header("Authorization", "Basic " + basic).GET().build());
    }

    public static Response get(String url, String accept, String bearerToken) {
        return get(url, accept, bearerToken, Duration.ofSeconds(5));
    }

    /** @param timeout how long to wait for the answer (longer for a GET that waits on the server) */
    public static Response get(String url, String accept, String bearerToken, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", accept)
            .header("Authorization", "Bearer " + bearerToken).GET().build());
    }

    public static Response postJson(String url, String json) {
        return postJson(url, json, Duration.ofSeconds(10));
    }

    /** @param timeout how long to wait for the answer (longer for the first request to a service just started) */
    public static Response postJson(String url, String json, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
            .header("Content-Type", "application/json").header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A POST with a bearer token and, if given, an Idempotency-Key. */
    public static Response postJson(String url, String json, String bearerToken, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json").header("Accept", "application/json")
            .header("Authorization", "Bearer " + bearerToken);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        }
        catch (IOException e) {
            return new Response(0, e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "interrupted");
        }
    }

    public record Response(int status, String body) {
    }
}
