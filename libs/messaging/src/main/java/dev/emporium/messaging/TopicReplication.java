package dev.emporium.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.messaging.replication.*}: how the topics a service creates are replicated. The
 * producers already send with {@code acks=all} and idempotence (Kafka's defaults, which Emporium keeps):
 * with a factor of 3 and {@code min.insync.replicas} 2, a write counts once two brokers have it, and one
 * broker lost loses no record and stops no producer. 0 leaves either to the broker's defaults
 * ({@code default.replication.factor}, {@code min.insync.replicas}), as the local single broker wants.
 *
 * @param factor replicas of each partition
 * @param minInsyncReplicas replicas that must have a record before it counts as written
 */
@ConfigurationProperties("emporium.messaging.replication")
public record TopicReplication(@DefaultValue("0") int factor, @DefaultValue("0") int minInsyncReplicas) {

    public TopicReplication {
        if (factor < 0 || minInsyncReplicas < 0 || factor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("emporium.messaging.replication: factor and min-insync-replicas are 0 (the broker's"
                    + " default) or more; got factor " + factor + ", min-insync-replicas " + minInsyncReplicas);
        }
        if (factor > 0 && minInsyncReplicas > factor) {
            throw new IllegalArgumentException("emporium.messaging.replication.min-insync-replicas (" + minInsyncReplicas
                    + ") is more than the replication factor (" + factor + "): no write could ever succeed");
        }
    }

    /** The topic as declared, with this replication factor and {@code min.insync.replicas} where they are set. */
    NewTopic applyTo(NewTopic topic) {
        if (factor == 0 && minInsyncReplicas == 0) {
            return topic;
        }
        Optional<Integer> partitions = topic.numPartitions() > 0 ? Optional.of(topic.numPartitions()) : Optional.empty();
        Optional<Short> replicas = factor > 0 ? Optional.of((short) factor)
                : topic.replicationFactor() > 0 ? Optional.of(topic.replicationFactor()) : Optional.empty();
        Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
        if (minInsyncReplicas > 0) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        }
        return new NewTopic(topic.name(), partitions, replicas).configs(configs);
    }
}
