package dev.emporium.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The platform as the steps found it: the time from launch to ready, each process's RSS then, and the
 * orders that trained its AOT caches on this run's first start (none: the caches were there already,
 * or training on orders failed).
 */
record Startup(Duration ready, Map<String, Long> memory, Optional<Step> aotTraining) {
}
