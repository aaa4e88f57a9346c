/**
 * Prices at order time: the price list kept from inventory-service's {@code ProductPriced} events, and a
 * synchronous call to inventory-service, guarded by Resilience4j, for a product it does not list yet.
 */
package dev.emporium.order.pricing;
