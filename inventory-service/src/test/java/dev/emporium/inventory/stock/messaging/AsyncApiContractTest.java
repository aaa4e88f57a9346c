package dev.emporium.inventory.stock.messaging;

import org.junit.jupiter.api.Test;

import dev.emporium.inventory.catalog.ProductPriced;
import dev.emporium.inventory.stock.Messages.CommitStock;
import dev.emporium.inventory.stock.Messages.LowStock;
import dev.emporium.inventory.stock.Messages.ReleaseStock;
import dev.emporium.inventory.stock.Messages.ReserveStock;
import dev.emporium.inventory.stock.Messages.StockChanged;
import dev.emporium.inventory.stock.Messages.StockReleased;
import dev.emporium.inventory.stock.Messages.StockReservationExpired;
import dev.emporium.inventory.stock.Messages.StockReservationFailed;
import dev.emporium.inventory.stock.Messages.StockReserved;
import dev.emporium.testsupport.AsyncApiContract;

/** inventory-service's messages, both ways, are the ones docs/asyncapi.yaml describes. */
class AsyncApiContractTest {

    private final AsyncApiContract contract = AsyncApiContract.load();

    @Test
    void publishesTheDocumentedRepliesAndEvents() {
        contract.publishes(StockReserved.class);
        contract.publishes(StockReservationFailed.class);
        contract.publishes(StockReleased.class);
        contract.publishes(StockReservationExpired.class);
        contract.publishes(StockChanged.class);
        contract.publishes(LowStock.class);
        contract.publishes(ProductPriced.class);
    }

    @Test
    void readsOnlyDocumentedFieldsOfTheCommands() {
        contract.consumes("ReserveStock", ReserveStock.class);
        contract.consumes("CommitStock", CommitStock.class);
        contract.consumes("ReleaseStock", ReleaseStock.class);
    }
}
