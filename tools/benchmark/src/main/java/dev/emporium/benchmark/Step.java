package dev.emporium.benchmark;

import java.util.Map;

/**
 * One step's orders. {@code started} counts every order the load generator sent, {@code shed} those
 * the shop refused at once with a 503 because it was full (load shedding; nothing was ordered), and
 * {@code failed} those that went wrong otherwise (an error, a timeout, not terminal within 30 s).
 * The accept latencies are of the orders taken (201).
 */
record Step(String label, int rate, int started, int confirmed, int rejected, int shed, int failed, double confirmedPerSecond,
        long acceptP50, long acceptP95, long acceptP99, long shedP99, long terminalP50, long terminalP99,
        Map<String, Double> cpuMsPerOrder, Map<String, Double> compilingMsPerOrder, String gatlingReport) {

    /** A step whose accept p99 is above this has bent, even without failures. */
    static final long BENT_ACCEPT_P99_MS = 1000;

    double failedShare() {
        return started == 0 ? 1 : (double) failed / started;
    }

    double shedShare() {
        return started == 0 ? 0 : (double) shed / started;
    }

    /** A rate is sustained when nearly every order sent was taken and decided in time: a shed order was not. */
    boolean holds() {
        return started > 0 && failedShare() + shedShare() < 0.01 && acceptP99 <= BENT_ACCEPT_P99_MS;
    }
}
