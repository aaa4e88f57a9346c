package dev.emporium.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.KafkaProcess;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service that starts before Kafka: it comes up, says it is not ready, and once the broker answers
 * it creates its topics, starts its listeners and says it is ready, with no restart. This is what
 * compose and Kubernetes do when they start things in any order. The broker is this test's own
 * process, started only after the service.
 */
@SpringBootTest(properties = { "test.commands-topic=late-commands", "emporium.messaging.outbox.retry-max=1s" })
@RealInfrastructure(database = "messaging_late_kafka", kafka = false)
class StartBeforeKafkaIT {

    @TempDir
    static Path brokerData;

    static KafkaProcess kafka;

    @DynamicPropertySource
    static void brokerNotStartedYet(DynamicPropertyRegistry registry) {
        kafka = KafkaProcess.prepare(brokerData.resolve("kafka"));
        registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
        // after Spring Boot has closed the cached context: its listeners commit their offsets on the way out
        SpringApplication.getShutdownHandlers().add(kafka::close);
    }

    @Autowired
    HealthEndpoint health;

    @Autowired
    TopicProvisioning topics;

    @Autowired
    KafkaAdmin admin;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    NoteListener listener;

    @Test
    void becomesReadyWithWorkingListenersOnceKafkaComes() {
        assertThat(health.healthForPath("readiness").getStatus()).as("readiness while Kafka is away").isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.healthForPath("readiness", "kafkaTopics").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(topics.isReady()).isFalse();

        kafka.start();

        await("readiness once Kafka answers").atMost(Duration.ofSeconds(60))
            .until(() -> health.healthForPath("readiness").getStatus().equals(Status.UP));
        assertThat(admin.describeTopics("late-commands", "late-commands" + DeadLetters.SUFFIX))
            .as("its own topic and the dead-letter topic of what it consumes").hasSize(2);

        String counter = "late-" + UUID.randomUUID();
        transactions.executeWithoutResult(status -> outbox.publish("late-commands", counter, counter, new Note(counter, 1, false)));
        await("the listener applies a message sent after the start").atMost(Duration.ofSeconds(60))
            .until(() -> listener.counter(counter) == 1);
    }
}
