package dev.emporium.observability;

import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class TraceRootsTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private final Sampler sampler = Sampler.parentBased(new TraceRoots(Sampler.alwaysOn()));

    @ParameterizedTest
    @EnumSource(value = SpanKind.class, names = { "SERVER", "CONSUMER", "PRODUCER" })
    void startsTracesWhereWorkArrives(SpanKind kind) {
        assertThat(decision(Context.root(), kind)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @ParameterizedTest
    @EnumSource(value = SpanKind.class, names = { "CLIENT", "INTERNAL" })
    void dropsHousekeepingThatWouldStartATraceOfItsOwn(SpanKind kind) {
        assertThat(decision(Context.root(), kind)).isEqualTo(SamplingDecision.DROP);
    }

    @ParameterizedTest
    @EnumSource(value = SpanKind.class, names = { "CLIENT", "INTERNAL" })
    void keepsEverySpanInsideASampledTrace(SpanKind kind) {
        SpanContext parent = SpanContext.create(TRACE, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
        assertThat(decision(Context.root().with(Span.wrap(parent)), kind)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @ParameterizedTest
    @EnumSource(value = SpanKind.class, names = { "SERVER", "CONSUMER" })
    void samplesRootsAtTheConfiguredRate(SpanKind kind) {
        Sampler never = Sampler.parentBased(new TraceRoots(Sampler.alwaysOff()));
        assertThat(never.shouldSample(Context.root(), TRACE, "http get", kind, Attributes.empty(), List.of()).getDecision())
            .isEqualTo(SamplingDecision.DROP);
    }

    private SamplingDecision decision(Context parent, SpanKind kind) {
        return sampler.shouldSample(parent, TRACE, "span", kind, Attributes.empty(), List.of()).getDecision();
    }
}
