package dev.emporium.order.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.emporium.messaging.TopicProvisioning;
import dev.emporium.order.Topics;

/** The topics order-service owns; created on start-up if the broker does not have them yet. */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

    @Bean
    NewTopic orderSagaRepliesTopic() {
        return TopicBuilder.name(Topics.SAGA_REPLIES).partitions(TopicProvisioning.SAGA_PARTITIONS).build();
    }

    @Bean
    NewTopic orderEventsTopic() {
        return TopicBuilder.name(Topics.EVENTS).partitions(3).build();
    }
}
