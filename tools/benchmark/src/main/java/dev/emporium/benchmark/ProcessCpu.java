package dev.emporium.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of named processes, read from Linux's /proc once a second while the benchmark runs, so
 * that any window (a step of the load) can be cut out afterwards. A process counts with its
 * descendants (PostgreSQL's backends, the JVM Maven forks for Gatling) and with the children it has
 * already reaped (cutime/cstime: a backend whose connection closed still counts); the JVM that runs
 * this counts alone, since every other process descends from it.
 *
 * <p>Of that time, what the JVMs' JIT compiler threads used ({@code C1 CompilerThread*},
 * {@code C2 CompilerThread*} in /proc/&lt;pid&gt;/task) is read apart: the JIT still compiling minutes
 * after start, which a service that runs for days pays once, not per order.
 */
final class ProcessCpu implements AutoCloseable {

    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    /** CPU seconds by process since it started, and the part of them its JIT compiler threads used. */
    record Reading(Instant at, Map<String, Double> seconds, Map<String, Double> compiling) {
    }

    /**
     * How long the compiler threads found in a process are read before its threads are listed again.
     * Listing every thread of every process, and reading its name, every second would cost the
     * launcher itself a noticeable share of the CPU it measures.
     */
    private static final java.time.Duration COMPILER_SCAN_INTERVAL = java.time.Duration.ofSeconds(10);

    private final Supplier<Map<String, Long>> pids;
    private final Map<Long, List<Path>> compilerThreads = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Instant nextCompilerScan = Instant.MIN;
    private final List<Reading> readings = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** @param pids the processes to follow, by name, asked again at every reading (processes come and go) */
    ProcessCpu(Supplier<Map<String, Long>> pids) {
        this.pids = pids;
        this.sampler = Thread.ofPlatform().daemon().name("benchmark-cpu").start(this::sample);
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    private void sample() {
        while (running) {
            Reading reading = read();
            synchronized (readings) {
                readings.add(reading);
            }
            try {
                Thread.sleep(1000);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    Reading read() {
        if (!Instant.now().isBefore(nextCompilerScan)) {
            // JVMs start and stop compiler threads as the work comes and goes: look again now and then
            compilerThreads.clear();
            nextCompilerScan = Instant.now().plus(COMPILER_SCAN_INTERVAL);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Double> compiling = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        pids.get().forEach((name, pid) -> {
            // this JVM started the others: its own time only, or it would count every process twice
            seconds.merge(name, pid == self ? ticks(pid, false) / TICKS_PER_SECOND : treeSeconds(pid), Double::sum);
            compiling.merge(name, compilerSeconds(pid), Double::sum);
        });
        return new Reading(Instant.now(), seconds, compiling);
    }

    /** CPU seconds each process used between the readings nearest to {@code from} and {@code to}. */
    Map<String, Double> between(Instant from, Instant to) {
        return used(from, to, Reading::seconds);
    }

    /** CPU seconds by process between two readings, and when those readings were taken. */
    record Window(Instant from, Instant to, Map<String, Double> seconds) {
    }

    /**
     * As {@link #between}, with the times of the readings it used: a window of a few seconds is cut
     * from readings a second apart, so whatever is divided by its CPU (requests) must be counted
     * between those times, not between {@code from} and {@code to}.
     */
    Window window(Instant from, Instant to) {
        List<Reading> span = span(from, to);
        if (span.isEmpty() || !span.get(1).at().isAfter(span.get(0).at())) {
            return new Window(from, from, Map.of());
        }
        return new Window(span.get(0).at(), span.get(1).at(), difference(span, Reading::seconds));
    }

    /** Of {@link #between}, what each process's JIT compiler threads used. */
    Map<String, Double> compilingBetween(Instant from, Instant to) {
        return used(from, to, Reading::compiling);
    }

    private Map<String, Double> used(Instant from, Instant to, java.util.function.Function<Reading, Map<String, Double>> figure) {
        List<Reading> span = span(from, to);
        return span.isEmpty() ? new LinkedHashMap<>() : difference(span, figure);
    }

    /** The readings nearest to {@code from} and to {@code to}; none before the first reading. */
    private List<Reading> span(Instant from, Instant to) {
        synchronized (readings) {
            Reading first = nearest(from);
            Reading last = nearest(to);
            return first == null || last == null ? List.of() : List.of(first, last);
        }
    }

    private static Map<String, Double> difference(List<Reading> span, java.util.function.Function<Reading, Map<String, Double>> figure) {
        Map<String, Double> used = new LinkedHashMap<>();
        Map<String, Double> before = figure.apply(span.get(0));
        figure.apply(span.get(1)).forEach((name, seconds) -> used.put(name, Math.max(0, seconds - before.getOrDefault(name, 0.0))));
        return used;
    }

    private Reading nearest(Instant at) {
        Reading best = null;
        for (Reading reading : readings) {
            if (best == null || Math.abs(reading.at().toEpochMilli() - at.toEpochMilli()) < Math.abs(best.at().toEpochMilli() - at.toEpochMilli())) {
                best = reading;
            }
        }
        return best;
    }

    private static double treeSeconds(long pid) {
        return ticks(pid, true) / TICKS_PER_SECOND + descendants(pid).mapToDouble(child -> ticks(child, false)).sum() / TICKS_PER_SECOND;
    }

    /** The JIT compiler threads of a process and of its descendants (the load generator's JVM). */
    private double compilerSeconds(long pid) {
        return java.util.stream.LongStream.concat(java.util.stream.LongStream.of(pid), descendants(pid))
            .mapToDouble(process -> compilerThreads.computeIfAbsent(process, ProcessCpu::compilerThreadsOf).stream()
                .mapToDouble(stat -> ticks(stat, false)).sum())
            .sum() / TICKS_PER_SECOND;
    }

    private static java.util.stream.LongStream descendants(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).mapToLong(ProcessHandle::pid);
    }

    /** The stat files of a process's C1 and C2 threads; a process that ended has none. */
    private static List<Path> compilerThreadsOf(long pid) {
        List<Path> compilers = new ArrayList<>();
        try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    // the kernel keeps 15 characters of a thread's name: "C2 CompilerThre"
                    if (Files.readString(thread.resolve("comm")).strip().matches("C[12] CompilerThre.*")) {
                        compilers.add(thread.resolve("stat"));
                    }
                }
                catch (IOException e) {
                    // the thread ended between listing and reading
                }
            }
        }
        catch (IOException | java.io.UncheckedIOException e) {
            // the process ended
        }
        return compilers;
    }

    /** utime + stime (fields 14, 15), plus cutime + cstime (16, 17) of reaped children when asked. */
    private static double ticks(long pid, boolean withReapedChildren) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"), withReapedChildren);
    }

    private static double ticks(Path statFile, boolean withReapedChildren) {
        try {
            String stat = Files.readString(statFile);
            // the command name (field 2) may hold spaces; the fields after it start after its ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return withReapedChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
        }
        catch (IOException | RuntimeException e) {
            return 0; // the process ended between listing and reading
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
