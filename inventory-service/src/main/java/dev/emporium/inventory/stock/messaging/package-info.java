/** The inventory side of the place-order saga on Kafka: thin listeners that hand commands to {@code Inventory}. */
package dev.emporium.inventory.stock.messaging;
