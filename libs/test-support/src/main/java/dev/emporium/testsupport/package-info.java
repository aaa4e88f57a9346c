/**
 * Real PostgreSQL and Kafka for integration tests, started once per JVM and shared: Testcontainers
 * where a Docker engine answers, embedded real servers where none does.
 */
package dev.emporium.testsupport;
