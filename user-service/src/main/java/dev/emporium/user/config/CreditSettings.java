package dev.emporium.user.config;

import java.math.BigDecimal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.credit.*}
 *
 * @param startingLimit the store credit a new customer can buy with at once
 * @param currency the currency of all store credit
 */
@ConfigurationProperties("emporium.credit")
public record CreditSettings(@DefaultValue("1000.00") BigDecimal startingLimit, @DefaultValue("EUR") String currency) {
}
