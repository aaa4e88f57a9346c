package dev.emporium.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The small arithmetic of the report: percentiles, medians, CPU per request; and reading a log. */
final class Figures {

    private Figures() {
    }

    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Milliseconds of CPU per request; NaN when the process was not followed or nothing was counted. */
    static double msPerRequest(Double cpuSeconds, long requests) {
        return cpuSeconds == null || requests == 0 ? Double.NaN : 1000 * cpuSeconds / requests;
    }

    /** The median of the figures that exist; NaN when none does. */
    static double medianOrNaN(List<Double> values) {
        List<Double> known = values.stream().filter(value -> !value.isNaN()).toList();
        return known.isEmpty() ? Double.NaN : median(known);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            return "";
        }
    }

    /** The last 30 lines, for an error message. */
    static String tail(Path file) {
        List<String> lines = read(file).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
