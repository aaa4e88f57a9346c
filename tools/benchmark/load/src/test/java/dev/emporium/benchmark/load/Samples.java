package dev.emporium.benchmark.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line per measured request, for the benchmark runner's report:
 * {@code kind,label,startEpochMs,latencyMs,ok}. Gatling's HTML report has the same requests
 * aggregated over the whole run; the runner needs them per step and per A/B round, and by time, to
 * line them up with the CPU it reads from /proc. Written only when {@code bench.samples} names a file.
 */
final class Samples implements AutoCloseable {

    private final BufferedWriter out;

    private Samples(BufferedWriter out) {
        this.out = out;
    }

    static Samples to(String file) {
        if (file == null || file.isBlank()) {
            return new Samples(null);
        }
        try {
            Path path = Path.of(file);
            Files.createDirectories(path.toAbsolutePath().getParent());
            return new Samples(Files.newBufferedWriter(path));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the samples to " + file, e);
        }
    }

    /** @param label the step ("rate=40") or the A/B round ("gateway#2") the request belongs to */
    synchronized void record(String kind, String label, long startEpochMs, long latencyMs, boolean ok) {
        if (out == null) {
            return;
        }
        try {
            out.write(kind + "," + label + "," + startEpochMs + "," + latencyMs + "," + ok + "\n");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
