/**
 * The one-command local run: embedded PostgreSQL, a real Kafka broker, and every service as its own
 * JVM process, started in order, checked through the gateway, and stopped together.
 */
package dev.emporium.launcher;
