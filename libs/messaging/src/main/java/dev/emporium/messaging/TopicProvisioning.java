package dev.emporium.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Makes the service independent of the order in which it and Kafka start. Its topics (its
 * {@link NewTopic} beans, a dead-letter topic for every topic it consumes, and the replay topic its
 * listener of another service's topic reads, see {@link DeadLetters}) are created, or found,
 * before its listeners start; until then the service reports itself not ready (this is the
 * {@code kafkaTopics} health indicator, part of each service's readiness group), and it keeps trying,
 * with a pause that doubles up to {@code retryMax}, for as long as it runs. A listener that started
 * before its topic existed would wait minutes for its next metadata refresh; one that starts after
 * finds its partitions at once.
 *
 * <p>The listener containers are created with auto-start off (see {@link MessagingAutoConfiguration})
 * and started here; Spring Boot's own topic creation at start-up is switched off, because with Kafka
 * away it blocks the start for its operation timeout and then gives up for good.
 *
 * <p>A listener of a topic that another service owns and creates (order-service reads inventory-service's
 * {@code inventory-prices}) starts once that topic exists: where the services start in any order, its
 * consumer would otherwise log Kafka's {@code UNKNOWN_TOPIC_OR_PARTITION} over and over until the owner
 * came up. The service is ready meanwhile (its health shows the topics it waits for), and the consumer,
 * reading from the earliest offset, misses nothing published before it started.
 */
public class TopicProvisioning implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioning.class);

    /**
     * Partitions of a topic that carries the saga's work (commands, replies). A partition is read by one
     * consumer of the group at a time, so this bounds how many consumers share the work: two instances of
     * three consumers each. More consumers than partitions stand by, taking over when one dies. Growing an
     * existing topic to this count moves keys to other partitions; the saga tolerates that, because
     * every participant remembers a compensation that arrives before its command.
     */
    public static final int SAGA_PARTITIONS = 6;

    /** After the listener registry (which starts only the containers that still auto-start). */
    static final int PHASE = org.springframework.kafka.listener.AbstractMessageListenerContainer.DEFAULT_PHASE + 10;

    private final KafkaAdmin admin;
    private final Supplier<List<NewTopic>> declared;
    private final Supplier<? extends Collection<String>> deadLetterAndReplayTopics;
    private final TopicReplication replication;
    private final Supplier<KafkaListenerEndpointRegistry> listeners;
    private final Set<String> listenersToStart;
    private final Duration retryInitial;
    private final Duration retryMax;

    private volatile boolean ready;
    private volatile String waitingFor = "not started yet";
    private volatile boolean running;
    private volatile CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Thread thread;
    /** Listener containers whose topics another service has not created yet, by id. */
    private final Set<String> awaitingTopics = ConcurrentHashMap.newKeySet();
    private volatile Thread awaiting;

    /**
     * @param listenersToStart the ids of the listener containers to start once the topics exist: those
     *        that asked to start automatically (the set fills while the containers are created)
     */
    TopicProvisioning(KafkaAdmin admin, Supplier<List<NewTopic>> declared, Supplier<? extends Collection<String>> deadLetterAndReplayTopics,
            TopicReplication replication, Supplier<KafkaListenerEndpointRegistry> listeners, Set<String> listenersToStart,
            Duration retryInitial, Duration retryMax) {
        this.admin = admin;
        this.declared = declared;
        this.deadLetterAndReplayTopics = deadLetterAndReplayTopics;
        this.replication = replication;
        this.listeners = listeners;
        this.listenersToStart = listenersToStart;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
    }

    static Set<String> newListenerSet() {
        return ConcurrentHashMap.newKeySet();
    }

    /**
     * Every topic the service needs: its own, then one dead-letter topic (one partition) per consumed
     * topic and its replay topics (one partition); each replicated as {@code emporium.messaging.replication}
     * says ({@link TopicReplication}).
     */
    List<NewTopic> topics() {
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        declared.get().forEach(topic -> topics.put(topic.name(), topic));
        deadLetterAndReplayTopics.get().forEach(topic -> topics.putIfAbsent(topic, TopicBuilder.name(topic).partitions(1).build()));
        return topics.values().stream().map(replication::applyTo).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** Whether every topic exists and the listeners have been started. */
    public boolean isReady() {
        return ready;
    }

    @Override
    public Health health() {
        if (ready) {
            Health.Builder up = Health.up().withDetail("topics", topics().stream().map(NewTopic::name).toList());
            if (!awaitingTopics.isEmpty()) {
                up.withDetail("listenersWaitingForTheirTopics", List.copyOf(awaitingTopics));
            }
            return up.build();
        }
        return Health.outOfService().withDetail("waitingFor", waitingFor).build();
    }

    /**
     * Tries once right away, so that with Kafka there the topics exist before the service has started
     * (nobody can publish to one first and have a broker create it with its defaults); with Kafka away
     * that costs the start one operation timeout, and a background thread keeps trying.
     */
    @Override
    public void start() {
        stopRequested = new CountDownLatch(1);
        running = true;
        if (ready) {
            // a context stopped and started again (Spring's test framework pauses cached contexts)
            startListeners(topics().stream().map(NewTopic::name).collect(java.util.stream.Collectors.toSet()));
            return;
        }
        if (!attempt(1, retryInitial)) {
            thread = Thread.ofPlatform().daemon().name("kafka-topics").start(this::keepTrying);
        }
    }

    private void keepTrying() {
        Duration pause = retryInitial;
        for (int attempt = 2; running; attempt++) {
            try {
                if (stopRequested.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : pause.multipliedBy(2);
            if (attempt(attempt, pause)) {
                return;
            }
        }
    }

    /** Creates or finds every topic, then starts the listeners; false, logged, if Kafka did not let it. */
    private boolean attempt(int attempt, Duration nextPause) {
        try {
            List<NewTopic> topics = keepingExistingPartitions(topics());
            admin.createOrModifyTopics(topics.toArray(NewTopic[]::new));
            List<String> names = topics.stream().map(NewTopic::name).toList();
            // createOrModifyTopics logs, rather than throws, some failures: read the topics back
            Set<String> found = admin.describeTopics(names.toArray(String[]::new)).keySet();
            if (!found.containsAll(names)) {
                throw new IllegalStateException("topics still missing after creating them: "
                        + names.stream().filter(name -> !found.contains(name)).toList());
            }
            startListeners(found);
            ready = true;
            waitingFor = "nothing";
            log.info("Kafka topics ready ({}); listeners started{}", String.join(", ", names),
                    attempt > 1 ? " after " + attempt + " attempts" : "");
            return true;
        }
        catch (RuntimeException e) {
            waitingFor = "Kafka, to create or find the topics: " + why(e);
            if (Integer.bitCount(attempt) == 1) {
                // the 1st, 2nd, 4th, 8th... failure: enough to see it is still trying, without a line per pause
                log.warn("Kafka topics not ready yet (attempt {}): {}. The service reports not ready and tries again in {} ms;"
                        + " it needs bootstrap servers that answer and a principal allowed to create its topics.",
                        attempt, why(e), nextPause.toMillis());
            }
            return false;
        }
    }

    /**
     * The topics as declared, except that one which exists already keeps its partition count: growing it
     * moves keys to other partitions, which is an operator's decision ({@code kafka-topics --alter
     * --partitions N}), and needs the ALTER right that the services' principals do not have.
     */
    List<NewTopic> keepingExistingPartitions(List<NewTopic> declared) {
        List<NewTopic> kept = new ArrayList<>();
        for (NewTopic topic : declared) {
            int existing = existingPartitions(topic.name());
            if (existing > 0 && existing < topic.numPartitions()) {
                log.info("Topic {} has {} partitions, fewer than the {} declared; it keeps them (growing a topic moves its keys:"
                        + " kafka-topics --alter --partitions {} when you decide to)", topic.name(), existing, topic.numPartitions(),
                        topic.numPartitions());
                kept.add(new NewTopic(topic.name(), Optional.of(existing),
                        topic.replicationFactor() > 0 ? Optional.of(topic.replicationFactor()) : Optional.empty())
                    .configs(topic.configs()));
            }
            else {
                kept.add(topic);
            }
        }
        return kept;
    }

    /** How many partitions the topic has, or 0 if it does not exist yet. */
    private int existingPartitions(String name) {
        try {
            return admin.describeTopics(name).get(name).partitions().size();
        }
        catch (RuntimeException e) {
            if (NestedExceptionUtils.getMostSpecificCause(e) instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
    }

    /** A time-out says nothing by itself: name the servers that did not answer. */
    private String why(RuntimeException e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        if (root instanceof java.util.concurrent.TimeoutException || root instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer from " + admin.getConfigurationProperties().get("bootstrap.servers") + " within "
                    + admin.getOperationTimeout() + " s";
        }
        return OutboxRelay.rootMessage(e);
    }

    /** @param existing topics known to exist (the service's own, just created or found): not asked about again */
    private void startListeners(Set<String> existing) {
        KafkaListenerEndpointRegistry registry = listeners.get();
        if (registry == null) {
            return;
        }
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            if (listenersToStart.contains(container.getListenerId()) && !container.isRunning()) {
                List<String> missing = missingTopics(container, existing);
                if (missing.isEmpty()) {
                    container.start();
                }
                else {
                    awaitTopics(container, missing);
                }
            }
        }
    }

    /** The container's topics that do not exist yet, apart from those known to; all of them while Kafka cannot say. */
    private List<String> missingTopics(MessageListenerContainer container, Set<String> existing) {
        String[] topics = container.getContainerProperties().getTopics();
        if (topics == null) {
            return List.of();
        }
        try {
            return Arrays.stream(topics).filter(topic -> !existing.contains(topic) && existingPartitions(topic) == 0).toList();
        }
        catch (RuntimeException e) {
            return List.of(topics);
        }
    }

    private void awaitTopics(MessageListenerContainer container, List<String> missing) {
        if (awaitingTopics.add(container.getListenerId())) {
            log.info("Listener {} does not read {} yet: the topic does not exist, and the service that owns it creates it when it"
                    + " starts. It starts reading as soon as the topic exists, from the earliest offset; this service is ready"
                    + " meanwhile.", container.getListenerId(), missing);
        }
        synchronized (awaitingTopics) {
            if (awaiting == null || !awaiting.isAlive()) {
                awaiting = Thread.ofPlatform().daemon().name("kafka-topics-awaited").start(this::keepAwaitingTopics);
            }
        }
    }

    /** Looks for the awaited topics after a pause that doubles up to {@code retryMax}, and starts each listener whose topics exist. */
    private void keepAwaitingTopics() {
        Duration pause = retryInitial;
        while (running && !awaitingTopics.isEmpty()) {
            try {
                if (stopRequested.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : pause.multipliedBy(2);
            KafkaListenerEndpointRegistry registry = listeners.get();
            for (String id : List.copyOf(awaitingTopics)) {
                MessageListenerContainer container = registry == null ? null : registry.getListenerContainer(id);
                if (container == null || container.isRunning()) {
                    awaitingTopics.remove(id);
                }
                else if (missingTopics(container, Set.of()).isEmpty()) {
                    container.start();
                    awaitingTopics.remove(id);
                    log.info("Listener {} reads {} now: the topic exists", id, String.join(", ", container.getContainerProperties().getTopics()));
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        stopRequested.countDown();
        for (Thread worker : new Thread[] { thread, awaiting }) {
            if (worker != null) {
                try {
                    worker.join(Duration.ofSeconds(15));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
