package dev.emporium.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.emporium.launcher.Http;

/**
 * A few lines on where a request that got no answer is waiting, short enough for a failure message
 * (CI shows only the end of a build's output): the process's last warnings and errors, and the stacks
 * of its request threads that are busy in Emporium's code, a connection pool or a lock.
 */
final class Diagnosis {

    private static final int LOG_LINES = 6;
    private static final int THREADS = 3;
    private static final int FRAMES = 10;

    private Diagnosis() {
    }

    /**
     * The newest traces in the launcher's collector that took longer than {@code longerThan}, each drawn
     * as a tree (service, span, start and duration): which hop the time went to.
     */
    static String slowTraces(String collector, java.time.Duration longerThan) {
        StringBuilder text = new StringBuilder();
        List<String> slow = Http.get(collector + "/traces", "text/plain").body().lines()
            .map(line -> line.trim().split("\\s+"))
            .filter(columns -> columns.length > 3 && columns[2].matches("[0-9.]+")
                    && Double.parseDouble(columns[2]) > longerThan.toMillis())
            .map(columns -> columns[0]).limit(2).toList();
        slow.forEach(id -> text.append("\n").append(Http.get(collector + "/traces/" + id, "text/plain").body().strip()));
        return text.isEmpty() ? "\nno trace in " + collector + " took longer than " + longerThan : text.toString();
    }

    static String of(String process, Path threadDump, Path log) throws IOException {
        StringBuilder text = new StringBuilder("\n== ").append(process).append(": last warnings and errors ==");
        if (Files.exists(log)) {
            List<String> problems = Files.readAllLines(log).stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")).toList();
            problems.subList(Math.max(0, problems.size() - LOG_LINES), problems.size())
                .forEach(line -> text.append("\n  ").append(line, 0, Math.min(line.length(), 300)));
        }
        text.append("\n== ").append(process).append(": busy request threads ==");
        if (Files.exists(threadDump)) {
            busyRequestThreads(Files.readAllLines(threadDump)).forEach(thread -> text.append("\n").append(thread));
        }
        return text.toString();
    }

    /** Stacks of Tomcat's and Reactor Netty's request threads that are not idle, the top frames of each. */
    private static List<String> busyRequestThreads(List<String> dump) {
        List<String> busy = new ArrayList<>();
        List<String> thread = new ArrayList<>();
        for (String line : dump) {
            if (line.startsWith("\"")) {
                keepIfBusy(thread, busy);
                thread = new ArrayList<>();
            }
            thread.add(line);
        }
        keepIfBusy(thread, busy);
        return busy.subList(0, Math.min(THREADS, busy.size()));
    }

    private static void keepIfBusy(List<String> thread, List<String> busy) {
        if (thread.isEmpty() || !(thread.getFirst().contains("http-nio-") || thread.getFirst().contains("reactor-http-"))) {
            return;
        }
        String stack = String.join("\n", thread);
        boolean idle = stack.contains("NioEndpoint$Poller") || stack.contains("TaskQueue.take") || stack.contains("TaskQueue.poll")
                || stack.contains("Acceptor.run") || stack.contains("EPoll.wait") || stack.contains("epollWait");
        if (!idle) {
            busy.add(String.join("\n", thread.subList(0, Math.min(FRAMES, thread.size()))));
        }
    }
}
