package dev.emporium.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Memory figures read from Linux's /proc; 0 where /proc is not there. */
final class Memory {

    private Memory() {
    }

    /** Resident set size of one process. */
    static long residentKib(ProcessHandle process) {
        return field(Path.of("/proc", Long.toString(process.pid()), "status"), "VmRSS:");
    }

    /** Proportional set size of a process and its descendants: shared pages counted once in all. */
    static long treeProportionalKib(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants())
            .mapToLong(each -> field(Path.of("/proc", Long.toString(each.pid()), "smaps_rollup"), "Pss:"))
            .sum();
    }

    private static long field(Path file, String name) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(name))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElse(0);
        }
        catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
