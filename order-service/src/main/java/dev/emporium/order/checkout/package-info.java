/** Orders: what a shopper asked for, what it costs, and where its saga stands. */
package dev.emporium.order.checkout;
