package dev.emporium.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Wires the messaging backbone into a service: {@link Outbox} and {@link OutboxRelay} for what it
 * sends, {@link Inbox} and the listeners' consumer factory and error handler for what it receives,
 * {@link DeadLetters} for what could not be processed.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties({ MessagingProperties.class, TopicReplication.class })
@Import(DeadLetterController.class)
public class MessagingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MessagingAutoConfiguration.class);

    private final RelaySignal relaySignal = new RelaySignal();

    /** The listener containers that asked to start by themselves; {@link TopicProvisioning} starts them. */
    private final java.util.Set<String> listenersToStart = TopicProvisioning.newListenerSet();

    @Bean
    Outbox outbox(JdbcClient jdbc, PlatformTransactionManager transactionManager, ObjectProvider<ObservationRegistry> observations,
            MessagingProperties properties) {
        return new Outbox(jdbc, transactionManager, orNoop(observations), properties.correlation(), relaySignal,
                Clock.systemUTC());
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager, KafkaProperties kafka,
            MessagingProperties properties, MeterRegistry meters, ObjectProvider<ObservationRegistry> observationRegistry) {
        ObservationRegistry observations = orNoop(observationRegistry);
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail fast while Kafka is down so the batch's database transaction does not stay open for long.
        int sendTimeout = (int) properties.outbox().sendTimeout().toMillis();
        int requestTimeout = Math.max(1000, Math.min(5000, sendTimeout / 2));
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, requestTimeout);
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(sendTimeout, requestTimeout + 5));
        DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(producer, new StringSerializer(),
                new StringSerializer());
        producers.addListener(new MicrometerProducerListener<>(meters));
        KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
        // A producer span per record, child of the relay's span, and the traceparent header for the consumer.
        template.setObservationEnabled(true);
        template.setObservationRegistry(observations);
        OutboxRelay relay = new OutboxRelay(new OutboxStore(jdbc), new TransactionTemplate(transactionManager), template,
                observations, relaySignal, properties, Clock.systemUTC());
        Gauge.builder("emporium.outbox.pending", relay, r -> r.backlog().pending())
            .description("Outbox messages committed but not yet acknowledged by Kafka")
            .register(meters);
        Gauge.builder("emporium.outbox.oldest.age", relay,
                r -> OutboxStore.age(r.backlog(), Instant.now()).toMillis() / 1000.0)
            .description("Age of the oldest message still waiting in the outbox")
            .baseUnit("seconds")
            .register(meters);
        relay.setAutoStartup(properties.outbox().enabled());
        return relay;
    }

    @Bean
    Inbox inbox(JdbcClient jdbc, PlatformTransactionManager transactionManager, MeterRegistry meters,
            ObjectProvider<ObservationRegistry> observations, MessagingProperties properties) {
        return new Inbox(jdbc, new TransactionTemplate(transactionManager), Clock.systemUTC(), meters,
                orNoop(observations), properties.correlation());
    }

    /**
     * Listeners receive {@link Envelope}s. Unreadable bytes become a {@code DeserializationException}
     * handled by the error handler below, instead of a partition stuck on one record.
     */
    @Bean
    ConsumerFactory<Object, Object> kafkaConsumerFactory(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ErrorHandlingDeserializer<Envelope> values = new ErrorHandlingDeserializer<>(new EnvelopeDeserializer());
        @SuppressWarnings({ "unchecked", "rawtypes" })
        DefaultKafkaConsumerFactory<Object, Object> factory = (DefaultKafkaConsumerFactory) new DefaultKafkaConsumerFactory<>(consumer,
                new StringDeserializer(), values);
        // kafka_consumer_* metrics, among them the lag: records-lag-max per consumer
        factory.addListener(new MicrometerConsumerListener<>(meters));
        return factory;
    }

    /**
     * Listeners commit their offsets once per {@code consumer.commit-interval} (Spring Kafka's
     * {@code AckMode.TIME}) instead of after every poll, which at a few records per poll was one commit
     * request to Kafka per message. Safe because every listener applies messages through the
     * {@link Inbox}: what a crash or a rebalance delivers again is recognised and skipped. Offsets
     * still pending are committed when partitions are revoked or the listener stops. A service that
     * sets {@code spring.kafka.listener.ack-mode} keeps its own.
     * <p>
     * No container starts by itself: {@link TopicProvisioning} starts those that would have, once
     * their topics exist.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> listenerContainers(KafkaProperties kafka,
            MessagingProperties properties) {
        return container -> {
            if (kafka.getListener().getAckMode() == null) {
                container.getContainerProperties().setAckMode(ContainerProperties.AckMode.TIME);
                container.getContainerProperties().setAckTime(properties.consumer().commitInterval().toMillis());
            }
            if (container.isAutoStartup()) {
                listenersToStart.add(container.getListenerId());
                container.setAutoStartup(false);
            }
        };
    }

    /**
     * Creates the service's topics whenever Kafka answers, and only then starts its listeners; the
     * service is not ready until both are done (see {@link TopicProvisioning}). The bean's name makes
     * it the {@code kafkaTopics} health indicator (the services have a {@code kafkaTopics} bean of
     * their own: their topic declarations).
     */
    @Bean
    TopicProvisioning kafkaTopicsHealthIndicator(KafkaAdmin admin, ObjectProvider<NewTopic> declared, DeadLetters deadLetters,
            ObjectProvider<KafkaListenerEndpointRegistry> listeners, MessagingProperties properties, TopicReplication replication) {
        // A copy of Spring Boot's admin (same servers and credentials) that gives up on a call sooner,
        // so that a stop is not held up by a call to a broker that is not there
        Map<String, Object> config = new HashMap<>(admin.getConfigurationProperties());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        KafkaAdmin quick = new KafkaAdmin(config);
        quick.setOperationTimeout(5);
        quick.setCloseTimeout(2);
        quick.setAutoCreate(false);
        return new TopicProvisioning(quick, () -> declared.orderedStream().toList(), deadLetters::topicsToCreate, replication,
                listeners::getIfAvailable,
                listenersToStart, properties.outbox().retryInitial(), properties.outbox().retryMax());
    }

    /** Spring Boot's admin creates nothing at start-up: with Kafka away it would block the start, then give up. */
    @Bean
    static BeanPostProcessor kafkaAdminCreatesNothingAtStart() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof KafkaAdmin admin) {
                    admin.setAutoCreate(false);
                }
                return bean;
            }
        };
    }

    /**
     * Bounded retries in place (no retry topics: they would reorder a key's saga messages), then the
     * record goes to {@code <topic>.DLT} with its original headers and the exception. Unreadable
     * records skip the retries.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaProperties kafka, MessagingProperties properties, MeterRegistry meters,
            ObjectProvider<ObservationRegistry> observations) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Map<Class<?>, org.apache.kafka.common.serialization.Serializer<?>> byType = new java.util.LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Envelope.class, new EnvelopeSerializer());
        byType.put(String.class, new StringSerializer());
        KafkaTemplate<Object, Object> deadLetterTemplate = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer,
                new DelegatingByTypeSerializer(Map.of(String.class, new StringSerializer(), byte[].class, new ByteArraySerializer())),
                new DelegatingByTypeSerializer(byType, true)));
        deadLetterTemplate.setObservationEnabled(true);
        deadLetterTemplate.setObservationRegistry(orNoop(observations));
        // Partition left to the key, so a dead-letter topic need not have as many partitions as its source.
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, exception) -> new TopicPartition(DeadLetters.deadLetterTopicOf(record.topic()), -1));
        MessagingProperties.Consumer settings = properties.consumer();
        ExponentialBackOff backOff = new ExponentialBackOff(settings.backoffInitial().toMillis(), 2.0);
        backOff.setMaxInterval(settings.backoffMax().toMillis());
        backOff.setMaxAttempts(Math.max(0, settings.attempts() - 1));
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            publisher.accept(record, exception);
            deadLettered(meters, DeadLetters.originalOf(record.topic())).increment();
            log.warn("Dead-lettered {}-{}@{} (key {}) to {}: {}. List it at the dead-letters endpoint and replay it"
                    + " once the cause is fixed.", record.topic(), record.partition(), record.offset(), record.key(),
                    DeadLetters.deadLetterTopicOf(record.topic()), OutboxRelay.rootMessage(exception));
        }, backOff);
        handler.addNotRetryableExceptions(UnreadableMessageException.class);
        // The database briefly away (a restart, a failover) is not the record's fault: wait for it,
        // holding the partition (order stays intact), instead of dead-lettering good messages.
        ExponentialBackOff untilTheDatabaseIsBack = new ExponentialBackOff(settings.backoffInitial().toMillis(), 2.0);
        untilTheDatabaseIsBack.setMaxInterval(Math.max(settings.backoffMax().toMillis(), 5_000));
        untilTheDatabaseIsBack.setMaxElapsedTime(settings.infrastructureOutage().toMillis());
        handler.setBackOffFunction((record, exception) -> isInfrastructureOutage(exception) ? untilTheDatabaseIsBack : null);
        return handler;
    }

    @Bean
    DeadLetters deadLetters(KafkaProperties kafka, MessagingProperties properties,
            ObjectProvider<KafkaListenerEndpointRegistry> listeners, ObjectProvider<ObservationRegistry> observations) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaTemplate<byte[], byte[]> replays = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer()));
        replays.setObservationEnabled(true);
        replays.setObservationRegistry(orNoop(observations));
        return new DeadLetters(new DefaultKafkaConsumerFactory<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                replays,
                () -> consumedTopics(listeners.getIfAvailable()), properties.deadLetters().maxListed());
    }

    /** The dead-letter counters at 0 from the start, so dashboards and alerts see the series before the first poison record. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> deadLetterCounters(DeadLetters deadLetters, MeterRegistry meters) {
        return event -> deadLetters.topics()
            .forEach(topic -> deadLettered(meters, topic.substring(0, topic.length() - DeadLetters.SUFFIX.length())));
    }

    /** The application's registry; without Micrometer observation configured, one that observes nothing. */
    private static ObservationRegistry orNoop(ObjectProvider<ObservationRegistry> observations) {
        return observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /** A failure of the database connection rather than of the message: worth waiting out. */
    static boolean isInfrastructureOutage(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.springframework.dao.TransientDataAccessException
                    || cause instanceof org.springframework.dao.DataAccessResourceFailureException
                    || cause instanceof org.springframework.transaction.CannotCreateTransactionException
                    || cause instanceof java.sql.SQLTransientException
                    || cause instanceof java.sql.SQLRecoverableException
                    || (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                            && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")))) {
                return true;
            }
        }
        return false;
    }

    private static Counter deadLettered(MeterRegistry meters, String topic) {
        return Counter.builder("emporium.messaging.dead.lettered")
            .description("Records sent to a dead-letter topic")
            .tag("topic", topic)
            .register(meters);
    }

    private static Collection<String> consumedTopics(KafkaListenerEndpointRegistry registry) {
        if (registry == null) {
            return List.of();
        }
        Collection<String> topics = new LinkedHashSet<>();
        registry.getListenerContainers().forEach(container -> {
            String[] names = container.getContainerProperties().getTopics();
            if (names != null) {
                topics.addAll(List.of(names));
            }
        });
        return topics;
    }

}
