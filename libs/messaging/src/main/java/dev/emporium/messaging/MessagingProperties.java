package dev.emporium.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.messaging.*}: how the outbox relay, the inbox and the consumers behave.
 *
 * @param outbox the relay that publishes committed messages
 * @param inbox the record of messages already applied
 * @param consumer retries of a failing record before it is dead-lettered
 * @param deadLetters the admin endpoint over the dead-letter topics
 * @param correlation how a message's correlation id shows in traces and logs
 */
@ConfigurationProperties("emporium.messaging")
public record MessagingProperties(@DefaultValue Outbox outbox, @DefaultValue Inbox inbox, @DefaultValue Consumer consumer,
        @DefaultValue DeadLetters deadLetters, @DefaultValue Correlation correlation) {

    /**
     * @param enabled whether this instance runs a relay (tests switch it off to drive it by hand)
     * @param pollInterval longest wait between two looks at the outbox when nothing wakes the relay
     * @param batchSize messages published per transaction
     * @param retryInitial first pause after Kafka refused a batch; doubles up to {@code retryMax}
     * @param retryMax longest pause between two attempts while Kafka is down
     * @param sendTimeout how long one batch may wait for Kafka's acknowledgements
     * @param retention how long sent messages are kept (for inspection) before they are deleted
     * @param cleanupInterval how often sent messages past their retention are deleted
     * @param linger how long the relay, woken by a commit, waits for more commits to join its batch
     *        (as Kafka's producer {@code linger.ms}). 0, the default, looks at once: at low rates the
     *        commits of different orders rarely fall within a few milliseconds of each other, and
     *        under load the relay, busy, finds several commits' messages waiting by itself
     */
    public record Outbox(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration pollInterval, @DefaultValue("200") int batchSize,
            @DefaultValue("500ms") Duration retryInitial, @DefaultValue("10s") Duration retryMax,
            @DefaultValue("15s") Duration sendTimeout, @DefaultValue("7d") Duration retention,
            @DefaultValue("1h") Duration cleanupInterval, @DefaultValue("0ms") Duration linger) {
    }

    /** @param retention how long applied message ids are remembered: the window in which duplicates are recognised */
    public record Inbox(@DefaultValue("30d") Duration retention) {
    }

    /**
     * @param attempts deliveries of one record to the listener before it is dead-lettered (first try included)
     * @param backoffInitial pause before the first retry; doubles, up to {@code backoffMax}
     * @param backoffMax longest pause between two retries
     * @param infrastructureOutage how long a record whose handling fails because the database is
     *        unreachable (SQL state 08xxx/57Pxx, a connection that cannot be had) is retried before it,
     *        too, is dead-lettered; the partition waits meanwhile
     * @param commitInterval how often a listener commits the offsets of the records it applied (see
     *        {@link MessagingAutoConfiguration#listenerContainers}); a crash redelivers at most this much, which
     *        the {@link Inbox} recognises
     */
    public record Consumer(@DefaultValue("4") int attempts, @DefaultValue("200ms") Duration backoffInitial,
            @DefaultValue("2s") Duration backoffMax, @DefaultValue("10m") Duration infrastructureOutage,
            @DefaultValue("1s") Duration commitInterval) {
    }

    /** @param maxListed most records one listing returns */
    public record DeadLetters(@DefaultValue("500") int maxListed) {
    }

    /**
     * The correlation id of the platform's messages is the order id (saga traffic), so by default it
     * is shown under the order's names.
     *
     * @param spanAttribute the attribute on the outbox, relay and inbox spans
     * @param logKey the MDC key (a field of every JSON log line) while a message is applied
     */
    public record Correlation(@DefaultValue("order.id") String spanAttribute, @DefaultValue("orderId") String logKey) {
    }
}
