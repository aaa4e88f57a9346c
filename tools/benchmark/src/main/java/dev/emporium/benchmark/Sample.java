package dev.emporium.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** One line of a Gatling samples file: see tools/benchmark/load's {@code Samples}. */
record Sample(String kind, String label, long startMs, long latencyMs, boolean ok) {

    static List<Sample> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(line -> line.split(","))
                .filter(fields -> fields.length == 5)
                .map(f -> new Sample(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Boolean.parseBoolean(f[4])))
                .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
