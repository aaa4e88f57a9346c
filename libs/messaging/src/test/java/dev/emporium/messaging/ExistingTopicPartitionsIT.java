package dev.emporium.messaging;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A topic declared with more partitions than it already has keeps its count (growing it moves keys, an
 * operator's decision, and the services' principals may not alter topics); a new one gets the declared count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealInfrastructure(database = "messaging")
class ExistingTopicPartitionsIT {

    @Autowired
    TopicProvisioning provisioning;

    @Autowired
    KafkaAdmin admin;

    @Test
    void anExistingTopicKeepsItsPartitionsAndANewOneGetsTheDeclaredCount() {
        String existing = "kept-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name(existing).partitions(2).replicas(1).build());

        List<NewTopic> planned = provisioning.keepingExistingPartitions(List.of(
                TopicBuilder.name(existing).partitions(TopicProvisioning.SAGA_PARTITIONS).build(),
                TopicBuilder.name(fresh).partitions(TopicProvisioning.SAGA_PARTITIONS).build()));
        admin.createOrModifyTopics(planned.toArray(NewTopic[]::new));

        assertThat(admin.describeTopics(existing).get(existing).partitions()).hasSize(2);
        assertThat(admin.describeTopics(fresh).get(fresh).partitions()).hasSize(TopicProvisioning.SAGA_PARTITIONS);
    }
}
