package dev.emporium.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The local run's trace collector: OTLP protobuf in, readable trees out. */
class TraceCollectorTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private final TraceCollector collector = start();

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void drawsTheSpansOfOneTraceAsATreeAcrossServices() throws Exception {
        assertThat(export(service("gateway", span("b7ad6b7169203331", "", "http post", Span.SpanKind.SPAN_KIND_SERVER, 0, 90)),
                service("order-service", span("00f067aa0ba902b7", "b7ad6b7169203331", "http post /api/orders",
                        Span.SpanKind.SPAN_KIND_SERVER, 5, 80, "order.id", "42")))).isEqualTo(200);

        String tree = get("/traces/" + TRACE);
        assertThat(tree).contains("trace " + TRACE + ", 2 spans");
        assertThat(tree.lines().filter(line -> line.contains("gateway")).findFirst().orElseThrow()).contains("SERVER", "http post");
        assertThat(tree.lines().filter(line -> line.contains("order-service")).findFirst().orElseThrow())
            .contains("  order-service", "[order.id=42]");
        assertThat(get("/traces.json?order.id=42")).isEqualTo("[\"" + TRACE + "\"]");
        assertThat(get("/traces.json?order.id=43")).isEqualTo("[]");
        assertThat(get("/traces/" + TRACE + ".json")).contains("\"parentSpanId\":\"b7ad6b7169203331\"", "\"service\":\"order-service\"");
    }

    @Test
    void refusesWhatIsNotAnOtlpExport() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url("/v1/traces"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"not\":\"protobuf\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("not an OTLP trace export");
    }

    private static TraceCollector start() {
        try {
            return TraceCollector.start(0, 10);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int export(ResourceSpans... services) throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addAllResourceSpans(java.util.List.of(services)).build();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url("/v1/traces")).header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode();
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + collector.port() + path);
    }

    private static ResourceSpans service(String name, Span span) {
        return ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", name)))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))
            .build();
    }

    private static Span span(String id, String parent, String name, Span.SpanKind kind, long startMillis, long endMillis,
            String... attributes) {
        Span.Builder span = Span.newBuilder().setTraceId(bytes(TRACE)).setSpanId(bytes(id)).setName(name).setKind(kind)
            .setStartTimeUnixNano(startMillis * 1_000_000).setEndTimeUnixNano(endMillis * 1_000_000);
        if (!parent.isEmpty()) {
            span.setParentSpanId(bytes(parent));
        }
        for (int i = 0; i < attributes.length; i += 2) {
            span.addAttributes(attribute(attributes[i], attributes[i + 1]));
        }
        return span.build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
