package dev.emporium.inventory.stock;

import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A product's stock at one committed moment. {@code available + reserved + sold} is its total. */
@Schema(description = "A product's stock; available + reserved + sold is what was ever received less what was written off")
public record StockLevel(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID productId,
        @Schema(description = "Units that can be ordered now", example = "42", requiredMode = Schema.RequiredMode.REQUIRED) int available,
        @Schema(description = "Units held by orders whose saga has not finished", example = "2", requiredMode = Schema.RequiredMode.REQUIRED) int reserved,
        @Schema(description = "Units sold to confirmed orders", example = "7", requiredMode = Schema.RequiredMode.REQUIRED) int sold,
        @Schema(description = "At or below this many available units, the product counts as low on stock", example = "5", requiredMode = Schema.RequiredMode.REQUIRED)
        int lowStockThreshold) {

    public int total() {
        return available + reserved + sold;
    }
}
