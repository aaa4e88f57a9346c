package dev.emporium.user.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import dev.emporium.messaging.TopicProvisioning;
import dev.emporium.user.Topics;

/** The topics user-service owns; created on start-up if the broker does not have them yet. */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

    @Bean
    NewTopic userCommandsTopic() {
        return TopicBuilder.name(Topics.COMMANDS).partitions(TopicProvisioning.SAGA_PARTITIONS).build();
    }
}
