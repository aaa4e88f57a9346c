package dev.emporium.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * A trace receiver for the local run, where no Jaeger is at hand: it accepts OTLP over HTTP
 * ({@code POST /v1/traces}, protobuf, as the services export it), keeps the latest traces in memory,
 * and shows them as text.
 *
 * <ul>
 * <li>{@code GET /traces}: the latest traces, newest first; {@code ?order.id=...} (or any other span
 * attribute) keeps the traces with a span carrying it.</li>
 * <li>{@code GET /traces/<trace id>}: one trace as an indented tree of spans.</li>
 * <li>{@code GET /traces/<trace id>.json} and {@code GET /traces.json?...}: the same for programs.</li>
 * </ul>
 * Point the services at a real Jaeger instead with {@code EMPORIUM_OTLP_ENDPOINT}.
 */
final class TraceCollector implements AutoCloseable {

    /** One span as received, with what it is drawn and searched by. */
    record CollectedSpan(String traceId, String spanId, String parentSpanId, String service, String name, String kind,
            long startNanos, long endNanos, Map<String, String> attributes, String status) {

        double millis() {
            return (endNanos - startNanos) / 1_000_000.0;
        }
    }

    private final HttpServer server;
    private final int capacity;
    /** Trace id -> its spans, in the order traces were first seen; the oldest goes when full. */
    private final LinkedHashMap<String, List<CollectedSpan>> traces = new LinkedHashMap<>();

    private TraceCollector(HttpServer server, int capacity) {
        this.server = server;
        this.capacity = capacity;
    }

    /** Listens on {@code port} (all interfaces: the services may run in containers) and keeps {@code capacity} traces. */
    static TraceCollector start(int port, int capacity) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 50);
        TraceCollector collector = new TraceCollector(server, capacity);
        server.createContext("/v1/traces", collector::receive);
        server.createContext("/traces", collector::show);
        server.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("trace-collector-", 0).factory()));
        server.start();
        return collector;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Every span of one trace, by start time. */
    synchronized List<CollectedSpan> trace(String traceId) {
        return traces.getOrDefault(traceId, List.of()).stream().sorted(Comparator.comparingLong(CollectedSpan::startNanos)).toList();
    }

    /** Ids of the traces holding a span with this attribute value, newest first. */
    synchronized List<String> traceIdsWith(String attribute, String value) {
        List<String> ids = new ArrayList<>();
        traces.forEach((id, spans) -> {
            if (attribute == null || spans.stream().anyMatch(span -> value.equals(span.attributes().get(attribute)))) {
                ids.addFirst(id);
            }
        });
        return ids;
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "POST OTLP protobuf here");
                return;
            }
            ExportTraceServiceRequest request;
            try {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            }
            catch (IOException e) {
                respond(exchange, 400, "text/plain", "not an OTLP trace export: " + e.getMessage());
                return;
            }
            store(request);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private synchronized void store(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "?");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    String traceId = hex.formatHex(span.getTraceId().toByteArray());
                    CollectedSpan collected = new CollectedSpan(traceId, hex.formatHex(span.getSpanId().toByteArray()),
                            span.getParentSpanId().isEmpty() ? "" : hex.formatHex(span.getParentSpanId().toByteArray()), service,
                            span.getName(), span.getKind().name().replace("SPAN_KIND_", ""), span.getStartTimeUnixNano(),
                            span.getEndTimeUnixNano(), attributes(span.getAttributesList()),
                            span.getStatus().getCode().name().replace("STATUS_CODE_", ""));
                    traces.computeIfAbsent(traceId, id -> new ArrayList<>()).add(collected);
                }
            }
        }
        while (traces.size() > capacity) {
            traces.remove(traces.keySet().iterator().next());
        }
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> attributes = new TreeMap<>();
        keyValues.forEach(kv -> attributes.put(kv.getKey(), text(kv.getValue())));
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString().strip();
        };
    }

    private void show(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String attribute = query.keySet().stream().findFirst().orElse(null);
            String value = attribute == null ? null : query.get(attribute);
            if (path.equals("/traces") || path.equals("/traces/")) {
                respond(exchange, 200, "text/plain", list(traceIdsWith(attribute, value)));
            }
            else if (path.equals("/traces.json")) {
                respond(exchange, 200, "application/json", traceIdsWith(attribute, value).stream()
                    .map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]")));
            }
            else if (path.endsWith(".json")) {
                respond(exchange, 200, "application/json", json(trace(path.substring("/traces/".length(), path.length() - 5))));
            }
            else {
                String id = path.substring("/traces/".length());
                List<CollectedSpan> spans = trace(id);
                respond(exchange, spans.isEmpty() ? 404 : 200, "text/plain", spans.isEmpty() ? "no trace " + id + " (yet)\n" : tree(spans));
            }
        }
    }

    private String list(List<String> ids) {
        StringBuilder text = new StringBuilder(String.format("%-32s  %5s  %9s  %s%n", "trace", "spans", "ms", "root"));
        for (String id : ids.subList(0, Math.min(ids.size(), 100))) {
            List<CollectedSpan> spans = trace(id);
            CollectedSpan root = spans.stream().filter(span -> span.parentSpanId().isEmpty()).findFirst().orElse(spans.getFirst());
            long end = spans.stream().mapToLong(CollectedSpan::endNanos).max().orElse(root.endNanos());
            text.append(String.format("%-32s  %5d  %9.1f  %s %s%n", id, spans.size(), (end - root.startNanos()) / 1e6, root.service(),
                    root.name()));
        }
        return text.append("\nGET /traces/<trace> draws one; ?order.id=<id> finds an order's trace.\n").toString();
    }

    /** One trace as an indented tree: service, span name, kind, milliseconds from the trace's start, duration. */
    static String tree(List<CollectedSpan> spans) {
        Map<String, List<CollectedSpan>> children = new LinkedHashMap<>();
        List<String> ids = spans.stream().map(CollectedSpan::spanId).toList();
        List<CollectedSpan> roots = new ArrayList<>();
        for (CollectedSpan span : spans) {
            if (ids.contains(span.parentSpanId())) {
                children.computeIfAbsent(span.parentSpanId(), parent -> new ArrayList<>()).add(span);
            }
            else {
                roots.add(span);
            }
        }
        long start = spans.stream().mapToLong(CollectedSpan::startNanos).min().orElse(0);
        StringBuilder text = new StringBuilder("trace " + spans.getFirst().traceId() + ", " + spans.size() + " spans\n");
        roots.forEach(root -> draw(root, 0, children, start, text));
        return text.toString();
    }

    private static void draw(CollectedSpan span, int depth, Map<String, List<CollectedSpan>> children, long start, StringBuilder text) {
        String labels = span.attributes().entrySet().stream()
            .filter(attribute -> attribute.getKey().equals("order.id") || attribute.getKey().equals("saga.step")
                    || attribute.getKey().equals("messaging.message.type") || attribute.getKey().equals("http.response.status_code")
                    || attribute.getKey().equals("status") || attribute.getKey().equals("error"))
            .map(attribute -> attribute.getKey() + "=" + attribute.getValue())
            .collect(Collectors.joining(" "));
        text.append(String.format("%8.1f ms %7.1f ms  %s%-18s %-9s %s%s%n", (span.startNanos() - start) / 1e6, span.millis(),
                "  ".repeat(depth), span.service(), span.kind(), span.name(), labels.isEmpty() ? "" : "  [" + labels + "]"));
        children.getOrDefault(span.spanId(), List.of()).forEach(child -> draw(child, depth + 1, children, start, text));
    }

    private static String json(List<CollectedSpan> spans) {
        return spans.stream().map(span -> "{\"traceId\":\"" + span.traceId() + "\",\"spanId\":\"" + span.spanId()
                + "\",\"parentSpanId\":\"" + span.parentSpanId() + "\",\"service\":" + quote(span.service()) + ",\"name\":"
                + quote(span.name()) + ",\"kind\":\"" + span.kind() + "\",\"status\":\"" + span.status() + "\",\"attributes\":"
                + span.attributes().entrySet().stream().map(a -> quote(a.getKey()) + ":" + quote(a.getValue()))
                    .collect(Collectors.joining(",", "{", "}"))
                + "}").collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
