package dev.emporium.launcher;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The platform's child processes: started at their CPU priority, recorded for {@code down}, and what
 * the chaos run does to them (kill, restart, pause, resume). Each is remembered with how it was
 * started, so that it can be started again the same way.
 */
final class Processes {

    private record Launch(List<String> command, Map<String, String> environment) {
    }

    private final Settings settings;
    private final Priority priority;
    private final PidFile pids;
    private final List<ManagedProcess> running = new CopyOnWriteArrayList<>();
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();

    Processes(Settings settings, Priority priority, PidFile pids) {
        this.settings = settings;
        this.priority = priority;
        this.pids = pids;
    }

    /** Starts a process of the platform; every one but the gateway at a lower CPU priority ({@link Priority}). */
    ManagedProcess launch(String name, List<String> command, Map<String, String> environment) {
        List<String> prioritized = name.equals("gateway") ? command : priority.lowered(command);
        launches.put(name, new Launch(prioritized, environment));
        return track(ManagedProcess.start(name, prioritized, environment, settings.logs().resolve(name + ".log")));
    }

    /** Starts a process again the way it was first started (after {@link #kill} or a stop). */
    void restart(String name) {
        Launch launch = launches.get(name);
        if (launch == null) {
            throw new IllegalArgumentException("no process named " + name + " was started; known: " + launches.keySet());
        }
        track(ManagedProcess.start(name, launch.command(), launch.environment(), settings.logs().resolve(name + ".log")));
    }

    private ManagedProcess track(ManagedProcess process) {
        running.removeIf(old -> old.name().equals(process.name()));
        running.add(process);
        pids.record(process.name(), process.pid());
        return process;
    }

    ManagedProcess find(String name) {
        return running.stream().filter(process -> process.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no process named " + name + " is running"));
    }

    /** The first that has died, if one has. */
    Optional<ManagedProcess> dead() {
        return running.stream().filter(process -> !process.isAlive()).findFirst();
    }

    List<ManagedProcess> all() {
        return List.copyOf(running);
    }

    /** SIGKILL: no shutdown hook, no graceful anything, as when a node dies. */
    void kill(String name) {
        ProcessHandle.of(find(name).pid()).ifPresent(process -> {
            process.destroyForcibly();
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException | TimeoutException e) {
                System.out.println("emporium: " + name + " (PID " + process.pid() + ") has not exited 30 s after SIGKILL");
            }
        });
    }

    /** {@code kill -STOP} or {@code kill -CONT}. */
    void signal(String name, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(find(name).pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " failed");
            }
        }
        catch (IOException e) {
            throw new IllegalStateException("could not send SIG" + signal + " to " + name + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        running.forEach(process -> pids.put(process.name(), process.pid()));
        return pids;
    }

    Map<String, Long> residentKib() {
        Map<String, Long> memory = new LinkedHashMap<>();
        running.forEach(process -> memory.put(process.name(), process.residentKib()));
        return memory;
    }

    /** Tells, once each, about every process that has died since the last call, with where to look. */
    void reportDeaths(List<ManagedProcess> reported) {
        for (ManagedProcess process : running) {
            if (!process.isAlive() && !reported.contains(process)) {
                reported.add(process);
                System.out.println("emporium: " + process.name() + " " + process.exitDescription()
                        + "; the rest keeps running. Last lines of " + process.log() + ":\n" + process.lastLines(20));
            }
        }
    }

    /**
     * Stops the platform in two steps, each step's processes together, each process within {@code grace}
     * or killed. First the gateways and the services: each shuts down gracefully (finishes its requests,
     * leaves its Kafka group, signs off from the registry) while what it uses still answers. Then what
     * they use: the registries and Kafka's brokers (a cluster's brokers together: the last one left alone
     * would wait for a quorum that has gone). A service that outlived its registry would log its failed
     * heartbeats and sign-off as errors.
     */
    void stopAll(Duration grace) {
        stopTogether(running.stream().filter(process -> !isUsedByTheOthers(process.name())).toList(), grace);
        stopTogether(running.stream().filter(process -> isUsedByTheOthers(process.name())).toList(), grace);
    }

    /** The registries and Kafka's brokers, by the names they were launched under: {@code discovery-2}, {@code kafka-3}... */
    static boolean isUsedByTheOthers(String processName) {
        return List.of("discovery", "kafka").contains(processName.replaceFirst("-\\d+$", ""));
    }

    private static void stopTogether(List<ManagedProcess> processes, Duration grace) {
        List<Thread> stopping = new ArrayList<>();
        processes.forEach(process -> stopping.add(Thread.ofVirtual().start(() -> process.stop(grace))));
        for (Thread thread : stopping) {
            try {
                thread.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
