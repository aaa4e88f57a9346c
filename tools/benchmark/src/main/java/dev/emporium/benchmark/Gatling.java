package dev.emporium.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.emporium.launcher.Platform;
import dev.emporium.launcher.Settings;

/**
 * A Gatling simulation of {@code tools/benchmark/load}, run through Maven (the simulations are not in
 * the benchmark's jar) at the services' CPU priority, logged in as the platform's administrator.
 */
final class Gatling {

    private final Settings settings;
    private final Platform platform;
    private final Path results;
    /** Told the load generator's PID while it runs (for the CPU figures), then null. */
    private final Consumer<Long> running;

    Gatling(Settings settings, Platform platform, Path results, Consumer<Long> running) {
        this.settings = settings;
        this.platform = platform;
        this.results = results;
        this.running = running;
    }

    /** @return the HTML report, relative to the results folder (null if Gatling wrote none) */
    String run(String simulation, String label, Map<String, String> properties) {
        List<String> command = new ArrayList<>(List.of(settings.root().resolve("mvnw").toString(), "-B", "-ntp", "-q",
                "-f", settings.root().resolve("tools/benchmark/load/pom.xml").toString(), "gatling:test",
                "-Dgatling.simulationClass=" + simulation,
                "-Dgatling.resultsFolder=" + results.resolve("gatling")));
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        Path log = results.resolve("gatling-" + label + ".log");
        ProcessBuilder builder = new ProcessBuilder(platform.atTheServicesPriority(command)).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().put("EMPORIUM_ADMIN_EMAIL", platform.adminEmail());
        builder.environment().put("EMPORIUM_ADMIN_PASSWORD", platform.adminPassword());
        try {
            Process process = builder.start();
            running.accept(process.pid());
            boolean done = process.waitFor(30, TimeUnit.MINUTES);
            running.accept(null);
            if (!done || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Gatling (" + simulation + ") failed; see " + log + ":\n" + Figures.tail(log));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.getFirst(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Gatling ran", e);
        }
        Matcher report = Pattern.compile("file://(\\S+index\\.html)").matcher(Figures.read(log));
        String html = null;
        while (report.find()) {
            html = report.group(1);
        }
        return html == null ? null : results.relativize(Path.of(html)).toString();
    }
}
