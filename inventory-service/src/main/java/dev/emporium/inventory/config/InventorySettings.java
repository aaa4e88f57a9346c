package dev.emporium.inventory.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.inventory.*}
 *
 * @param reservationTtl how long a reservation waits for CommitStock before it expires and its stock returns
 * @param expiryCheckInterval how often overdue reservations are looked for
 */
@ConfigurationProperties("emporium.inventory")
public record InventorySettings(@DefaultValue("10m") Duration reservationTtl, @DefaultValue("5s") Duration expiryCheckInterval) {
}
