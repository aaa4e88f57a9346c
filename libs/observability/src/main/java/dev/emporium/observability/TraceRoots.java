package dev.emporium.observability;

import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Decides which spans may start a trace of their own. A trace should begin where work begins: a
 * request from outside (SERVER), a Kafka record or the outbox relay picking up a message (CONSUMER),
 * a message written by a timer-driven decision (PRODUCER). Those roots are sampled at the configured
 * rate. Housekeeping that runs on timers (Eureka heartbeats and registry fetches, scheduled pollers and
 * their SQL: CLIENT and INTERNAL spans without a parent) would otherwise fill Jaeger with thousands of
 * one-span traces a minute, and is dropped. Wrapped in {@link Sampler#parentBased}, every span inside
 * a kept trace is kept, whatever its kind. Metrics are not affected: this decides spans only.
 */
public final class TraceRoots implements Sampler {

    private final Sampler roots;

    /** @param roots how the roots that may start a trace are sampled (e.g. a trace-id ratio) */
    public TraceRoots(Sampler roots) {
        this.roots = roots;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind, Attributes attributes,
            List<LinkData> parentLinks) {
        return switch (spanKind) {
            case SERVER, CONSUMER, PRODUCER -> roots.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
            case CLIENT, INTERNAL -> SamplingResult.drop();
        };
    }

    @Override
    public String getDescription() {
        return "TraceRoots{roots=SERVER|CONSUMER|PRODUCER sampled by " + roots.getDescription() + "}";
    }
}
