package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code .emporium/run/pids}: one line per process the launcher started ({@code name pid}), so that
 * {@code ./emporium down} can stop a platform whose launcher was killed outright.
 */
final class PidFile {

    private final Path file;

    PidFile(Path home) {
        this.file = home.resolve("run").resolve("pids");
    }

    void reset() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void record(String name, long pid) {
        try {
            Files.writeString(file, name + " " + pid + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every recorded process that is still alive and still ours (its command line names an
     * Emporium path, so a reused PID is left alone): the launcher first, so it can stop the rest in
     * order, then whatever remains. Returns whether nothing is left running.
     */
    boolean stopAll() {
        List<Entry> entries = read();
        List<ProcessHandle> alive = new ArrayList<>();
        for (Entry entry : entries) {
            ProcessHandle.of(entry.pid()).filter(ProcessHandle::isAlive).filter(PidFile::isEmporiums).ifPresent(process -> {
                System.out.println("emporium: stopping " + entry.name() + " (pid " + entry.pid() + ")");
                alive.add(process);
            });
        }
        if (alive.isEmpty()) {
            System.out.println("emporium: nothing is running");
            return true;
        }
        alive.getFirst().destroy();
        // the launcher's own stop: the Spring processes' graceful shutdown, up to a minute (see Platform.stop)
        waitForExit(alive.subList(0, 1), Duration.ofSeconds(120));
        alive.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        waitForExit(alive, Duration.ofSeconds(30));
        alive.stream().filter(ProcessHandle::isAlive).forEach(process -> {
            System.out.println("emporium: pid " + process.pid() + " ignored SIGTERM; killing it");
            process.destroyForcibly();
        });
        waitForExit(alive, Duration.ofSeconds(10));
        boolean allStopped = alive.stream().noneMatch(ProcessHandle::isAlive);
        System.out.println(allStopped ? "emporium: stopped" : "emporium: some processes are still running");
        return allStopped;
    }

    boolean launcherIs(long pid) {
        return read().stream().anyMatch(entry -> entry.name().equals("launcher") && entry.pid() == pid);
    }

    private List<Entry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(parts -> parts.length == 2)
                .map(parts -> new Entry(parts[0], Long.parseLong(parts[1])))
                .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isEmporiums(ProcessHandle process) {
        Optional<String> commandLine = process.info().commandLine();
        // Without a visible command line (another user's process) it cannot be ours.
        return commandLine.map(line -> line.contains("emporium")).orElse(false);
    }

    private static void waitForExit(List<ProcessHandle> processes, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (ProcessHandle process : processes) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return;
            }
            try {
                process.onExit().get(left, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            catch (Exception e) {
                // still alive at the deadline: the caller escalates
            }
        }
    }

    private record Entry(String name, long pid) {
    }
}
