package dev.emporium.order.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.saga.*}
 *
 * @param stepTimeout how long a step waits for its reply before it is sent again
 * @param attempts how often a step is sent before the saga gives up and compensates
 */
@ConfigurationProperties("emporium.saga")
public record SagaSettings(@DefaultValue("10s") Duration stepTimeout, @DefaultValue("3") int attempts) {
}
