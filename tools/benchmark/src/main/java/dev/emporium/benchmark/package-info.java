/**
 * {@code ./emporium bench}: a platform of its own under rising load, with the CPU of every process,
 * the gateway against its yardsticks and the database's ceiling; {@link dev.emporium.benchmark.BenchmarkRun}
 * runs it and {@link dev.emporium.benchmark.BenchmarkReport} writes it up. See docs/performance.md.
 */
package dev.emporium.benchmark;
