package dev.emporium.order.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Typed saga and admission settings, and the scheduler that times out silent saga steps. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SagaSettings.class, AdmissionSettings.class })
@EnableScheduling
class SagaConfiguration {
}
