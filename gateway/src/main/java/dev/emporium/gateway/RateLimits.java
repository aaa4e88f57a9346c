package dev.emporium.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code emporium.gateway.rate-limits.*} (values in application.yml): token buckets, each a burst ({@code capacity}) refilled at
 * {@code per-period} tokens each {@code period}.
 *
 * @param login login attempts per client address: slows password guessing
 * @param registration new accounts per client address: each comes with store credit
 * @param perAddress all requests per client address, signed in or not
 * @param perUser all requests per signed-in user, whatever address they come from
 */
@ConfigurationProperties("emporium.gateway.rate-limits")
public record RateLimits(Limit login, Limit registration, Limit perAddress, Limit perUser) {

    public record Limit(int capacity, int perPeriod, Duration period) {
    }
}
