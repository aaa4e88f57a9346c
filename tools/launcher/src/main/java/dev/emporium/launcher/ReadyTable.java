package dev.emporium.launcher;

import java.nio.file.Path;
import java.time.Duration;

/** What {@code ./emporium up} prints once the gateway routes to every service: where each part is, its memory and its log. */
final class ReadyTable {

    private static final String ROW = "  %-19s %-46s %9s  %s%n";

    private final StringBuilder table = new StringBuilder();

    ReadyTable(Duration took) {
        table.append(String.format("%nemporium: ready in %.1f s%n%n", took.toMillis() / 1000.0));
        table.append(String.format(ROW, "process", "address", "RSS", "log"));
    }

    ReadyTable line(String name, String address) {
        table.append(String.format("  %-19s %-46s%n", name, address));
        return this;
    }

    ReadyTable process(String name, String address, ManagedProcess process) {
        table.append(String.format(ROW, name, address, mib(process.residentKib()), process.log()));
        return this;
    }

    /** PostgreSQL: PSS summed over the postmaster and its backends, marked with a footnote. */
    ReadyTable postgres(String address, long proportionalKib, Path log) {
        table.append(String.format(ROW, "postgres", address, mib(proportionalKib) + "*", log));
        return this;
    }

    void print(String administrator, String gateway) {
        table.append(String.format("  (* PostgreSQL: PSS summed over the postmaster and its backends)%n"));
        table.append(String.format("%n  Administrator: %s%n", administrator));
        table.append(String.format("%n  Try: curl %s/api/products%n", gateway));
        table.append("  Ctrl-C stops everything (or ./emporium down from another terminal).");
        System.out.println(table);
    }

    private static String mib(long kib) {
        return kib == 0 ? "?" : (kib / 1024) + " MiB";
    }
}
