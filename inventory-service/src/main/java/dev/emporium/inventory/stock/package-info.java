/**
 * Stock: how many of each product are available, reserved for orders, and sold; the audit trail of
 * every change; and reservations, the inventory side of the place-order saga.
 */
package dev.emporium.inventory.stock;
