package dev.emporium.messaging;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener of a topic that another service owns (as order-service reads inventory-service's
 * inventory-prices) waits for that topic instead of subscribing to a topic that is not there: the
 * service is ready meanwhile and says what it waits for, and once the owner creates the topic the
 * listener starts and reads it from the start, so nothing published before that is missed.
 */
@SpringBootTest(properties = { "test.foreign-topic=foreign-events-of-another-service", "emporium.messaging.outbox.retry-max=1s" })
@RealInfrastructure(database = "messaging_foreign_topic")
class ForeignTopicIT {

    static final String FOREIGN = "foreign-events-of-another-service";

    @Autowired
    HealthEndpoint health;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    KafkaAdmin admin;

    @Autowired
    TopicProvisioning topics;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    NoteListener notes;

    @Test
    void startsReadingAnotherServicesTopicOnceItExistsAndMissesNothingPublishedBefore() {
        await("ready with its own topics").atMost(Duration.ofSeconds(60))
            .until(() -> health.healthForPath("readiness").getStatus().equals(Status.UP));
        assertThat(listeners.getListenerContainer("foreign-events").isRunning()).as("not subscribed to a topic that is not there").isFalse();
        assertThat(topics.health().getDetails()).containsEntry("listenersWaitingForTheirTopics", List.of("foreign-events"));

        admin.createOrModifyTopics(TopicBuilder.name(FOREIGN).partitions(1).build());
        String counter = "foreign-" + UUID.randomUUID();
        transactions.executeWithoutResult(status -> outbox.publish(FOREIGN, counter, counter, new Note(counter, 1, false)));

        await("the listener starts once the topic exists").atMost(Duration.ofSeconds(30))
            .until(() -> listeners.getListenerContainer("foreign-events").isRunning());
        await("and applies what was published before it started").atMost(Duration.ofSeconds(30))
            .until(() -> notes.counter(counter) == 1);
        assertThat(topics.health().getDetails()).doesNotContainKey("listenersWaitingForTheirTopics");
    }
}
