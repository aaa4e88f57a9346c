/**
 * {@code ./emporium chaos}: a platform of its own ({@link dev.emporium.launcher.Platform}), shoppers
 * ordering ({@link dev.emporium.chaos.ChaosShoppers}) while faults are injected, then the books
 * audited ({@link dev.emporium.chaos.ChaosAudit}). See docs/chaos.md.
 */
package dev.emporium.chaos;
