package dev.emporium.inventory.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.emporium.messaging.TopicProvisioning;
import dev.emporium.inventory.Topics;

/**
 * The topics inventory-service owns, created on start-up if the broker does not have them yet. It also
 * publishes replies to {@code order-saga-replies}, which order-service owns.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

    @Bean
    NewTopic inventoryCommandsTopic() {
        return TopicBuilder.name(Topics.COMMANDS).partitions(TopicProvisioning.SAGA_PARTITIONS).build();
    }

    @Bean
    NewTopic inventoryEventsTopic() {
        return TopicBuilder.name(Topics.EVENTS).partitions(3).build();
    }

    /** Compacted: the newest price of each product stays, so a new reader learns the whole price list from the start. */
    @Bean
    NewTopic inventoryPricesTopic() {
        return TopicBuilder.name(Topics.PRICES).partitions(3).compact().build();
    }
}
