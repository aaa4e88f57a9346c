package dev.emporium.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What compose and k8s switch on with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash}: one JSON
 * object per line, carrying the trace and span ids and the order id of the message being applied.
 */
@SpringBootTest(properties = { "logging.structured.format.console=logstash", "management.tracing.sampling.probability=1.0" })
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {

    private static final Logger log = LoggerFactory.getLogger(StructuredLogsTest.class);

    @Autowired
    Tracer tracer;

    @Test
    void everyLineIsJsonWithTheTraceAndTheOrder(CapturedOutput output) {
        Span span = tracer.nextSpan().name("apply ReserveStock").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(span); MDC.MDCCloseable order = MDC.putCloseable("orderId", "order-42")) {
            log.info("Reserved stock");
        }
        finally {
            span.end();
        }

        String line = output.getOut().lines().filter(candidate -> candidate.contains("Reserved stock")).findFirst().orElseThrow();
        assertThat(line).startsWith("{").endsWith("}")
            .contains("\"traceId\":\"" + span.context().traceId() + "\"", "\"spanId\":\"" + span.context().spanId() + "\"",
                    "\"orderId\":\"order-42\"", "\"message\":\"Reserved stock\"");
    }

    @SpringBootApplication
    static class Application {
    }
}
