/** What every process of the platform reports: traces over OTLP, Prometheus metrics, and which observations become spans. */
package dev.emporium.observability;
