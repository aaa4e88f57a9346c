package dev.emporium.observability;

import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Shared by every process. The exporter, the W3C {@code traceparent} propagation and the
 * instrumentation of HTTP, Kafka and JDBC come from Spring Boot, Spring Kafka and datasource-micrometer;
 * this adds only which spans may start a trace ({@link TraceRoots}) and which requests are not
 * observed at all ({@link Unobserved}).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
public class ObservabilityAutoConfiguration {

    /** Replaces Spring Boot's sampler, keeping its {@code management.tracing.sampling.probability}. */
    @Bean
    Sampler traceRootsSampler(@Value("${management.tracing.sampling.probability:0.1}") double probability) {
        return Sampler.parentBased(new TraceRoots(Sampler.traceIdRatioBased(probability)));
    }

    @Bean
    ObservationPredicate unobserved() {
        return new Unobserved();
    }

    /**
     * Spring Security's own observations off. On: every request through the gateway and every service
     * had 2-4 more spans ("secured request", "authorize request", "authenticate bearertoken"), every
     * filter of the chain wrapped in an observation, a large part of the gateway's work per request,
     * telling nothing that the request's own span and status code do not. Refusals are still logged.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.config.observation.SecurityObservationSettings")
    static class SecurityObservations {

        @Bean
        @ConditionalOnMissingBean
        SecurityObservationSettings securityObservationSettings() {
            return SecurityObservationSettings.noObservations();
        }
    }
}
