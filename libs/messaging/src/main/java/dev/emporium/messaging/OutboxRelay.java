package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Publishes committed outbox messages to Kafka, oldest first, and marks them sent in the same
 * database transaction that takes them, which commits only once Kafka has acknowledged them. One
 * background thread per service instance.
 *
 * <ul>
 * <li><b>Batches</b>: one transaction and one flush to Kafka carry every message pending when the
 * relay looks (at most {@code batch-size}); {@code linger} (off by default) makes it wait that long
 * after a wake-up, for the commits right behind.</li>
 * <li><b>Order</b>: one instance relays at a time (a transaction-scoped advisory lock), in outbox id
 * order, through an idempotent producer, so messages with one key reach their partition in the order
 * their transactions committed.</li>
 * <li><b>Kafka down</b>: a batch that Kafka does not acknowledge rolls back, stays pending, and is
 * tried again after a pause that doubles up to {@code retry-max}; the service keeps writing new
 * messages meanwhile, and everything is delivered once Kafka is back, without a restart.</li>
 * <li><b>At least once</b>: a crash between Kafka's acknowledgement and the commit publishes the
 * batch again after restart; the receiving {@link Inbox} applies each message id once.</li>
 * <li><b>Traces</b>: each message is sent inside an {@code outbox relay} span whose parent is the
 * trace context stored with the message, so the Kafka producer span, and the consumer's spans after
 * it, belong to the trace of the request that caused the message.</li>
 * </ul>
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * How often the backlog behind the pending and oldest-age gauges is counted. Counting after every
     * batch was one more transaction per message at low rates (a batch is often one message).
     */
    static final Duration BACKLOG_COUNT_INTERVAL = Duration.ofSeconds(1);

    private final OutboxStore store;
    private final TransactionOperations transactions;
    private final KafkaTemplate<String, String> kafka;
    private final ObservationRegistry observations;
    private final MessagingProperties.Correlation correlation;
    private final RelaySignal signal;
    private final MessagingProperties.Outbox settings;
    private final Duration inboxRetention;
    private final Clock clock;
    private final AtomicReference<OutboxStore.Backlog> backlog = new AtomicReference<>(new OutboxStore.Backlog(0, java.util.Optional.empty()));

    private volatile Thread thread;
    private volatile boolean running;
    /** Counted down by {@link #stop()}; a new one at every {@link #start()}, since a context can stop and start its beans again. */
    private volatile java.util.concurrent.CountDownLatch stopRequested = new java.util.concurrent.CountDownLatch(1);
    private boolean autoStartup = true;

    OutboxRelay(OutboxStore store, TransactionOperations transactions, KafkaTemplate<String, String> kafka,
            ObservationRegistry observations, RelaySignal signal, MessagingProperties properties, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.kafka = kafka;
        this.observations = observations;
        this.correlation = properties.correlation();
        this.signal = signal;
        this.settings = properties.outbox();
        this.inboxRetention = properties.inbox().retention();
        this.clock = clock;
    }

    /**
     * Publishes one batch: the oldest pending messages, all or none.
     *
     * @return how many messages were published (0 when none were pending or another instance relays)
     */
    public int publishPending() {
        Integer published = transactions.execute(status -> {
            if (!store.takeRelayTurn()) {
                return 0;
            }
            List<OutboxStore.Pending> batch = store.takeOldestPending(settings.batchSize(), Instant.now(clock));
            if (batch.isEmpty()) {
                return 0;
            }
            // the mark above commits only if this returns: every message acknowledged
            send(batch);
            return batch.size();
        });
        return published == null ? 0 : published;
    }

    /** Sends in id order, then waits for every acknowledgement; any failure fails the whole batch. */
    private void send(List<OutboxStore.Pending> batch) {
        List<CompletableFuture<?>> acknowledgements = new ArrayList<>(batch.size());
        for (OutboxStore.Pending message : batch) {
            ProducerRecord<String, String> record = new ProducerRecord<>(message.topic(), message.key(), message.envelope());
            message.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            acknowledgements.add(sendInItsTrace(message, record));
        }
        kafka.flush();
        try {
            CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new))
                .get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while Kafka acknowledged the outbox batch", e);
        }
        catch (Exception e) {
            throw new KafkaUnavailableException(e);
        }
    }

    /**
     * Sends one record inside a span continuing the trace stored with the message; the Kafka
     * template's producer span becomes its child and replaces the stored {@code traceparent} header.
     */
    private CompletableFuture<?> sendInItsTrace(OutboxStore.Pending message, ProducerRecord<String, String> record) {
        ReceiverContext<Map<String, String>> trace = new ReceiverContext<>(Map::get);
        trace.setCarrier(message.headers());
        trace.setRemoteServiceName("outbox");
        Observation relay = Observation.createNotStarted("emporium.outbox.relay", () -> trace, observations)
            .contextualName("outbox relay " + message.type())
            .lowCardinalityKeyValue("messaging.destination.name", message.topic())
            .lowCardinalityKeyValue("messaging.message.type", message.type())
            .highCardinalityKeyValue("messaging.message.id", message.messageId());
        if (message.correlationId() != null) {
            relay.highCardinalityKeyValue(correlation.spanAttribute(), message.correlationId());
        }
        return relay.observe(() -> kafka.send(record));
    }

    /** Pending messages and the age of the oldest, as of the relay's last look. */
    OutboxStore.Backlog backlog() {
        return backlog.get();
    }

    private void run() {
        openProducer();
        Duration pause = settings.retryInitial();
        Instant nextCleanup = Instant.now(clock);
        Instant nextBacklogCount = Instant.now(clock);
        while (running) {
            try {
                int published = publishPending();
                if (pause.compareTo(settings.retryInitial()) > 0) {
                    log.info("Outbox relay reaches Kafka again; publishing the messages that waited");
                }
                pause = settings.retryInitial();
                Instant now = Instant.now(clock);
                if (!now.isBefore(nextBacklogCount)) {
                    backlog.set(store.backlog());
                    nextBacklogCount = now.plus(BACKLOG_COUNT_INTERVAL);
                }
                if (!now.isBefore(nextCleanup)) {
                    cleanUp();
                    nextCleanup = now.plus(settings.cleanupInterval());
                }
                // woken by a commit: with a linger, let the commits right behind it join the batch
                if (published < settings.batchSize() && signal.await(settings.pollInterval()) && !sleep(settings.linger())) {
                    return;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException e) {
                backlog.set(safeBacklog());
                log.warn("Outbox relay could not publish ({}). {} message(s) stay pending, the oldest {} s old;"
                        + " retrying in {} ms. The service keeps accepting work meanwhile.",
                        rootMessage(e), backlog.get().pending(), OutboxStore.age(backlog.get(), Instant.now(clock)).toSeconds(),
                        pause.toMillis());
                if (!sleep(pause)) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax() : pause.multipliedBy(2);
            }
        }
    }

    /**
     * Creates the Kafka producer now rather than for the first message: connecting, authenticating and
     * registering as an idempotent producer happen in the background while the service starts, not while
     * the first order after a start waits for its {@code ReserveStock}. Kafka away changes nothing here:
     * the producer keeps trying, and the first batch reports what the relay cannot do.
     */
    private void openProducer() {
        try {
            kafka.execute(producer -> producer.metrics());
        }
        catch (RuntimeException e) {
            log.debug("Outbox relay could not open its Kafka producer yet ({}); it will with its first batch", rootMessage(e));
        }
    }

    private void cleanUp() {
        Instant now = Instant.now(clock);
        int outbox = store.deleteSentBefore(now.minus(settings.retention()));
        int inbox = store.deleteInboxBefore(now.minus(inboxRetention));
        if (outbox + inbox > 0) {
            log.info("Deleted {} sent outbox message(s) older than {} and {} inbox entr(y/ies) older than {}", outbox,
                    settings.retention(), inbox, inboxRetention);
        }
    }

    private OutboxStore.Backlog safeBacklog() {
        try {
            return store.backlog();
        }
        catch (RuntimeException e) {
            return backlog.get();
        }
    }

    /** The innermost cause, as "Type: message": what a reader of the log needs first. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Waits out a back-off pause; returns early, and false, when the relay is being stopped. */
    private boolean sleep(Duration pause) {
        try {
            return !stopRequested.await(pause.toMillis(), TimeUnit.MILLISECONDS) && running;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void start() {
        // Spring's test framework stops the beans of a cached context it is not using and starts them
        // again: with the old latch, every pause would have looked like a stop request
        stopRequested = new java.util.concurrent.CountDownLatch(1);
        running = true;
        thread = Thread.ofPlatform().daemon().name("outbox-relay").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        stopRequested.countDown();
        signal.wakeUp();
        Thread relay = thread;
        if (relay != null) {
            // No interrupt: it would break the JDBC connection of a batch in flight. The loop ends after it.
            try {
                relay.join(Duration.ofSeconds(30));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Kafka did not acknowledge a batch in time; the batch stays pending. */
    static class KafkaUnavailableException extends RuntimeException {

        KafkaUnavailableException(Throwable cause) {
            super("Kafka did not acknowledge the batch", cause);
        }
    }
}
