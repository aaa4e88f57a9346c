package dev.emporium.order.pricing;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.emporium.order.pricing.InventoryPrices.Price;

/**
 * order-service's own copy of what products cost (the {@code price_list} table), so that placing an
 * order asks no other service. inventory-service announces every new product and price change on
 * {@code inventory-prices} ({@code messaging.PriceEvents} applies them, the highest version winning);
 * a product the list does not have yet is priced by the synchronous call ({@link InventoryPrices},
 * through Resilience4j) and remembered until its first event. The stock reservation confirms each
 * price, so a list that lags behind the catalogue rejects an order with a reason; it never charges an
 * old price.
 */
@Component
public class PriceList {

    /** The version of a price learned from a call: any event replaces it. */
    static final int FROM_A_CALL = -1;

    private record Row(UUID productId, BigDecimal amount, String currency) {
    }

    private final JdbcClient jdbc;
    private final InventoryPrices inventory;
    private final Clock clock = Clock.systemUTC();

    PriceList(JdbcClient jdbc, InventoryPrices inventory) {
        this.jdbc = jdbc;
        this.inventory = inventory;
    }

    /**
     * What each product costs, in the order asked; runs outside any transaction of its caller.
     *
     * @throws UnknownProductException if the catalogue does not have one of the products
     * @throws PricingUnavailableException if a product is not listed yet and inventory-service cannot answer now
     */
    public Map<UUID, Price> of(Collection<UUID> productIds) {
        Map<UUID, Price> listed = new LinkedHashMap<>();
        jdbc.sql("select product_id, amount, currency from price_list where product_id = any(:ids)")
            .param("ids", productIds.toArray(UUID[]::new))
            .query(Row.class)
            .list()
            .forEach(row -> listed.put(row.productId(), new Price(row.productId(), row.amount(), row.currency().strip())));
        List<UUID> missing = productIds.stream().filter(id -> !listed.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            Map<UUID, Price> asked = inventory.of(missing);
            asked.values().forEach(price -> update(price.productId(), price.amount(), price.currency(), FROM_A_CALL));
            listed.putAll(asked);
        }
        Map<UUID, Price> prices = new LinkedHashMap<>();
        productIds.forEach(id -> prices.put(id, listed.get(id)));
        return prices;
    }

    /**
     * Writes a product's price unless the list has a newer one: a {@code ProductPriced} event's, or one
     * learned from a call ({@value #FROM_A_CALL}), which never replaces a row.
     */
    public void update(UUID productId, BigDecimal amount, String currency, int version) {
        jdbc.sql("""
                insert into price_list (product_id, amount, currency, version, updated_at) values (:product, :amount, :currency, :version, :now)
                on conflict (product_id) do update set amount = excluded.amount, currency = excluded.currency,
                    version = excluded.version, updated_at = excluded.updated_at
                where price_list.version < excluded.version
                """)
            .param("product", productId).param("amount", amount).param("currency", currency).param("version", version)
            .param("now", Timestamp.from(Instant.now(clock)))
            .update();
    }
}
