/** The place-order and cancel-order sagas, orchestrated here, their state in order-service's database. */
package dev.emporium.order.saga;
