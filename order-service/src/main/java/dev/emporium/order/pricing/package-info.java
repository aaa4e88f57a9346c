/** Prices at order time: a synchronous call to inventory-service, guarded by Resilience4j. */
package dev.emporium.order.pricing;
