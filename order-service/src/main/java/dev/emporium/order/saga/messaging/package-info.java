/** The replies of the saga's participants on order-saga-replies, handed to the saga through the inbox. */
package dev.emporium.order.saga.messaging;
