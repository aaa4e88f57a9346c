package dev.emporium.observability;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class UnobservedTest {

    private final Unobserved predicate = new Unobserved();

    @Test
    void leavesProbesAndScrapesUnobserved() {
        assertThat(predicate.test("http.server.requests", request("/actuator/prometheus"))).isFalse();
        assertThat(predicate.test("http.server.requests", request("/actuator/health/readiness"))).isFalse();
    }

    @Test
    void observesTheShopsRequestsAndEverythingElse() {
        assertThat(predicate.test("http.server.requests", request("/api/orders"))).isTrue();
        assertThat(predicate.test("kafka.template", new Observation.Context())).isTrue();
    }

    @Test
    void observesSqlInsideASampledTraceOnly() {
        try (Scope sampled = inSpan(TraceFlags.getSampled())) {
            assertThat(predicate.test("jdbc.connection", new Observation.Context())).isTrue();
            assertThat(predicate.test("jdbc.query", new Observation.Context())).isTrue();
        }
        try (Scope notSampled = inSpan(TraceFlags.getDefault())) {
            assertThat(predicate.test("jdbc.query", new Observation.Context())).as("a trace that is not exported").isFalse();
            assertThat(predicate.test("http.client.requests", new Observation.Context())).as("only SQL is left out").isTrue();
        }
        assertThat(predicate.test("jdbc.query", new Observation.Context())).as("no trace at all: a poller's SQL").isFalse();
    }

    @Test
    void leavesOutSecurityFilterChainBookkeepingAndThePollersThemselves() {
        assertThat(predicate.test("spring.security.filterchains", new Observation.Context())).isFalse();
        assertThat(predicate.test("tasks.scheduled.execution", new Observation.Context())).isFalse();
    }

    private static Scope inSpan(TraceFlags flags) {
        return Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", flags, TraceState.getDefault()))
            .makeCurrent();
    }

    private static ServerRequestObservationContext request(String path) {
        return new ServerRequestObservationContext(new MockHttpServletRequest("GET", path), new MockHttpServletResponse());
    }
}
