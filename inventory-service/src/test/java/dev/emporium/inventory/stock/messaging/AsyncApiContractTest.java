package dev.emporium.inventory.stock.messaging;

import org.junit.jupiter.api.Test;

import dev.emporium.inventory.stock.LowStock;
import dev.emporium.inventory.stock.StockChanged;
import dev.emporium.inventory.stock.StockReleased;
import dev.emporium.inventory.stock.StockReservationExpired;
import dev.emporium.inventory.stock.StockReservationFailed;
import dev.emporium.inventory.stock.StockReserved;
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
    }

    @Test
    void readsOnlyDocumentedFieldsOfTheCommands() {
        contract.consumes("ReserveStock", InventoryCommands.ReserveStock.class);
        contract.consumes("CommitStock", InventoryCommands.CommitStock.class);
        contract.consumes("ReleaseStock", InventoryCommands.ReleaseStock.class);
    }
}
