package dev.emporium.benchmark;

/** What pgbench found one database can do with the SQL of one order: scripts/s, and transactions per order. */
record Ceiling(String database, double scriptsPerSecond, int transactionsPerOrder, String output) {
}
