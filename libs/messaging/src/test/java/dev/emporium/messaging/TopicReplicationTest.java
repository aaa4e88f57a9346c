package dev.emporium.messaging;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.TopicBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What {@code emporium.messaging.replication} makes of the topics a service declares. */
class TopicReplicationTest {

    private final NewTopic declared = TopicBuilder.name("order-saga-replies").partitions(3).config("retention.ms", "604800000").build();

    @Test
    void threeReplicasOfWhichTwoMustHaveEveryRecord() {
        NewTopic replicated = new TopicReplication(3, 2).applyTo(declared);

        assertThat(replicated.name()).isEqualTo("order-saga-replies");
        assertThat(replicated.numPartitions()).isEqualTo(3);
        assertThat(replicated.replicationFactor()).isEqualTo((short) 3);
        assertThat(replicated.configs()).containsExactlyInAnyOrderEntriesOf(
                Map.of("retention.ms", "604800000", "min.insync.replicas", "2"));
    }

    @Test
    void zeroLeavesBothToTheBroker() {
        assertThat(new TopicReplication(0, 0).applyTo(declared)).isSameAs(declared);
        NewTopic dlt = new TopicReplication(0, 2).applyTo(TopicBuilder.name("inventory-commands.DLT").partitions(1).build());
        assertThat(dlt.replicationFactor()).as("the broker's default.replication.factor").isEqualTo((short) -1);
        assertThat(dlt.configs()).containsEntry("min.insync.replicas", "2");
    }

    @Test
    void refusesASettingNoWriteCouldMeet() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TopicReplication(1, 2))
            .withMessageContaining("min-insync-replicas (2) is more than the replication factor (1)");
        assertThatIllegalArgumentException().isThrownBy(() -> new TopicReplication(-1, 0)).withMessageContaining("0 (the broker's default) or more");
    }
}
