package dev.emporium.launcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local run gives the gateway the CPU first: every process behind it (discovery, PostgreSQL,
 * Kafka, the three services) runs {@code nice}r by {@link Settings#nice()}.
 * <p>
 * Why: on one machine without containers, Linux shares the CPU per runnable thread. The gateway does
 * all its work on one event loop, so once the machine is overloaded, that loop gets about one
 * runnable thread's share of the CPU while it needs far more. New connections then wait in its accept
 * queue until shoppers give up, although order-service behind it refuses what it cannot take within a
 * fraction of a second. With the others at a lower priority the gateway keeps up, and refusals come
 * back at once. Whatever else runs on the machine at the gateway's priority takes the CPU from the
 * services first too, so the benchmark runs its load generator and pgbench at the services' priority
 * ({@link Platform#atTheServicesPriority}). Kubernetes does the same with each pod's CPU request
 * (k8s/base/gateway.yaml); docker-compose shares per container.
 */
public final class Priority {

    private final int nice;

    public Priority(int nice) {
        this.nice = nice;
    }

    /** The command, started {@code nice}r (the JVM's every thread inherits it; the PID stays the program's). */
    public List<String> lowered(List<String> command) {
        if (nice == 0) {
            return command;
        }
        List<String> lowered = new ArrayList<>(List.of("nice", "-n", Integer.toString(nice)));
        lowered.addAll(command);
        return lowered;
    }

    /**
     * Lowers a process that something else started (PostgreSQL's postmaster, through zonky's pg_ctl)
     * and what it has started so far; its backends, forked later, inherit it. A failure is reported
     * and changes nothing else: the platform runs as before, only without the priorities.
     */
    public void lower(String name, long pid) {
        if (nice == 0) {
            return;
        }
        List<Long> pids = Stream.concat(Stream.of(pid), ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
            .map(ProcessHandle::pid)).toList();
        lower(name, pid, pids).ifPresent(problem -> System.out.println("emporium: could not lower the CPU priority of " + name + " ("
                + problem + "); it runs at the gateway's priority (EMPORIUM_NICE has no effect on it)"));
    }

    /**
     * Lowers {@code pids}, {@code pid}'s and its descendants', by {@code nice}; what went wrong, if anything.
     * One that ended between being listed and being lowered (a PostgreSQL backend that finished) is not
     * a failure: renice says so and lowers the rest.
     */
    public Optional<String> lower(String name, long pid, List<Long> pids) {
        OptionalInt current = niceOf(pid);
        if (current.isEmpty()) {
            return Optional.of("could not read the priority of " + name + ", pid " + pid);
        }
        int lowered = Math.min(19, current.getAsInt() + nice);
        List<String> renice = new ArrayList<>(List.of("renice", Integer.toString(lowered), "-p"));
        pids.forEach(each -> renice.add(each.toString()));
        String failure = run(renice).failure();
        boolean allLowered = pids.stream().map(Priority::niceOf).allMatch(now -> now.isEmpty() || now.getAsInt() >= lowered);
        return failure == null || allLowered ? Optional.empty() : Optional.of(failure);
    }

    /** A process's nice value, as {@code ps} tells it (Linux and macOS alike). */
    public static OptionalInt niceOf(long pid) {
        Outcome ps = run(List.of("ps", "-o", "nice=", "-p", Long.toString(pid)));
        try {
            return ps.failure() == null ? OptionalInt.of(Integer.parseInt(ps.output())) : OptionalInt.empty();
        }
        catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** What a command printed, and null or what went wrong. */
    private record Outcome(String output, String failure) {
    }

    private static Outcome run(List<String> command) {
        String line = String.join(" ", command);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(output, line + " did not finish within 10 s");
            }
            return new Outcome(output, process.exitValue() == 0 ? null : line + ": " + output);
        }
        catch (IOException e) {
            return new Outcome("", line + ": " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome("", "interrupted");
        }
    }
}
