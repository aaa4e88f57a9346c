package dev.emporium.inventory.stock;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.emporium.inventory.stock.Messages.PricedLine;

/**
 * The reservation's confirmation of the prices an order was placed at. order-service prices an order
 * from its own price list, which follows the catalogue's {@code ProductPriced} events a moment behind;
 * a line whose price is no longer the catalogue's refuses the reservation, and the order is rejected
 * with the reason this writes for the shopper.
 */
@Repository
class PriceCheck {

    private record CurrentPrice(UUID id, String name, BigDecimal amount, String currency) {
    }

    private final JdbcClient jdbc;

    PriceCheck(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @return why the order cannot be reserved at its prices, naming each product whose price changed;
     *         empty when every priced line costs what the catalogue says (a line without a price, or of
     *         a product the catalogue does not have, is left to the stock check)
     */
    Optional<String> changedPrices(List<PricedLine> lines, String currency) {
        List<PricedLine> priced = lines.stream().filter(line -> line.unitPrice() != null).toList();
        if (priced.isEmpty()) {
            return Optional.empty();
        }
        Map<UUID, CurrentPrice> current = jdbc.sql("select id, name, price_amount as amount, price_currency as currency from products where id = any(:ids)")
            .param("ids", priced.stream().map(PricedLine::productId).toArray(UUID[]::new))
            .query(CurrentPrice.class)
            .stream()
            .collect(Collectors.toMap(CurrentPrice::id, Function.identity()));
        List<String> changed = new ArrayList<>();
        for (PricedLine line : priced) {
            CurrentPrice now = current.get(line.productId());
            if (now != null && (now.amount().compareTo(line.unitPrice()) != 0 || !now.currency().equals(currency))) {
                changed.add("the price of " + now.name() + " is now " + now.amount() + " " + now.currency() + ", not "
                        + line.unitPrice() + " " + currency);
            }
        }
        return changed.isEmpty() ? Optional.empty()
                : Optional.of("Prices changed after the order was placed: " + String.join("; ", changed)
                        + ". Nothing was charged; place the order again to buy at the new price.");
    }
}
