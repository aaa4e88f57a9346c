package dev.emporium.systemtests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The JDK's HTTP client, keeping a copy of every exchange: the generated clients send through it, and
 * the contract check validates each request and response, as they were on the wire, against the
 * OpenAPI documents. Bodies are read whole (the journey's are small) and handed on unchanged.
 */
final class RecordingHttpClient extends HttpClient {

    /** One call: what was sent and what came back. */
    record Exchange(String method, URI uri, HttpHeaders requestHeaders, String requestBody, int status, HttpHeaders responseHeaders,
            String responseBody) {

        Optional<String> contentType() {
            return responseHeaders.firstValue("Content-Type");
        }

        @Override
        public String toString() {
            return method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " -> " + status;
        }
    }

    private final HttpClient delegate = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Exchange> exchanges = new ArrayList<>();

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** A builder for the generated ApiClient ({@code setHttpClientBuilder}) that always builds this client. */
    HttpClient.Builder builder() {
        HttpClient self = this;
        return new HttpClient.Builder() {
            @Override public Builder cookieHandler(CookieHandler handler) { return this; }
            @Override public Builder connectTimeout(Duration duration) { return this; }
            @Override public Builder sslContext(SSLContext context) { return this; }
            @Override public Builder sslParameters(SSLParameters parameters) { return this; }
            @Override public Builder executor(Executor executor) { return this; }
            @Override public Builder followRedirects(Redirect policy) { return this; }
            @Override public Builder version(Version version) { return this; }
            @Override public Builder priority(int priority) { return this; }
            @Override public Builder proxy(ProxySelector selector) { return this; }
            @Override public Builder authenticator(Authenticator authenticator) { return this; }
            @Override public HttpClient build() { return self; }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        String requestBody = request.bodyPublisher().map(RecordingHttpClient::read).orElse("");
        HttpResponse<byte[]> response = delegate.send(request, HttpResponse.BodyHandlers.ofByteArray());
        synchronized (this) {
            exchanges.add(new Exchange(request.method(), request.uri(), request.headers(), requestBody, response.statusCode(),
                    response.headers(), new String(response.body(), StandardCharsets.UTF_8)));
        }
        // the generated clients read every body as a stream (BodyHandlers.ofInputStream)
        return (HttpResponse<T>) new Replayed(response, new ByteArrayInputStream(response.body()));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        throw new UnsupportedOperationException("the journey calls synchronously");
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> promises) {
        throw new UnsupportedOperationException("the journey calls synchronously");
    }

    @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
    @Override public Redirect followRedirects() { return delegate.followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
    @Override public SSLContext sslContext() { return delegate.sslContext(); }
    @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
    @Override public Version version() { return delegate.version(); }
    @Override public Optional<Executor> executor() { return delegate.executor(); }

    /** A request body publisher's bytes (the generated clients publish byte arrays or strings). */
    private static String read(HttpRequest.BodyPublisher publisher) {
        List<ByteBuffer> parts = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override public void onSubscribe(Flow.Subscription subscription) { subscription.request(Long.MAX_VALUE); }
            @Override public void onNext(ByteBuffer item) { parts.add(item); }
            @Override public void onError(Throwable error) { done.completeExceptionally(error); }
            @Override public void onComplete() { done.complete(null); }
        });
        done.join();
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return new String(all.array(), StandardCharsets.UTF_8);
    }

    /** The response as received, its body to be read again. */
    private record Replayed(HttpResponse<byte[]> original, InputStream body) implements HttpResponse<InputStream> {
        @Override public int statusCode() { return original.statusCode(); }
        @Override public HttpRequest request() { return original.request(); }
        @Override public Optional<HttpResponse<InputStream>> previousResponse() { return Optional.empty(); }
        @Override public HttpHeaders headers() { return original.headers(); }
        @Override public Optional<SSLSession> sslSession() { return original.sslSession(); }
        @Override public URI uri() { return original.uri(); }
        @Override public Version version() { return original.version(); }
    }
}
