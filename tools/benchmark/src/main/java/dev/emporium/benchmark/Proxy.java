package dev.emporium.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * One target of the gateway comparison: its closed loop's requests/s in each counted round, in
 * round order, and medians over the rounds. {@code proxyCpuMs}: the CPU the target's own process
 * (the gateway, the bare gateway, nginx) used per request of the closed loop; NaN for the service
 * itself. {@code serviceCpuMs}: what inventory-service used per request.
 */
record Proxy(String target, List<Double> throughputs, long medianP50, long medianP99, int failures, double proxyCpuMs,
        double serviceCpuMs) {

    Proxy {
        throughputs = List.copyOf(throughputs);
    }

    double medianThroughput() {
        return throughputs.isEmpty() ? 0 : Figures.median(throughputs);
    }

    /**
     * This target's throughput over {@code base}'s, round by round. The targets take turns within a
     * round, a few seconds apart, while a machine's speed drifts between rounds: a ratio of neighbours
     * cancels that drift, a ratio of the two medians does not. Rounds where {@code base} served
     * nothing are left out.
     */
    List<Double> perRound(Proxy base) {
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < Math.min(throughputs.size(), base.throughputs().size()); round++) {
            if (base.throughputs().get(round) > 0) {
                ratios.add(throughputs.get(round) / base.throughputs().get(round));
            }
        }
        return ratios;
    }
}
