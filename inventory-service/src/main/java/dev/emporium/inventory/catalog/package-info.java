/** The catalogue: products, their prices and (later) their stock. */
package dev.emporium.inventory.catalog;
