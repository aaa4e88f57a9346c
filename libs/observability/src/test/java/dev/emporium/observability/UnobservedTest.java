package dev.emporium.observability;

import io.micrometer.observation.Observation;
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
        assertThat(predicate.test("jdbc.query", new Observation.Context())).isTrue();
    }

    @Test
    void leavesOutSecurityFilterChainBookkeepingAndThePollersThemselves() {
        assertThat(predicate.test("spring.security.filterchains", new Observation.Context())).isFalse();
        assertThat(predicate.test("tasks.scheduled.execution", new Observation.Context())).isFalse();
    }

    private static ServerRequestObservationContext request(String path) {
        return new ServerRequestObservationContext(new MockHttpServletRequest("GET", path), new MockHttpServletResponse());
    }
}
