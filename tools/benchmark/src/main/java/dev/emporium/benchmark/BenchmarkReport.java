package dev.emporium.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.emporium.launcher.Settings;

/** The Markdown report of one {@code ./emporium bench} run: figures, the machine, and the targets met or missed. */
final class BenchmarkReport {

    static final double TARGET_ORDERS_PER_SECOND = 150;
    static final long TARGET_ACCEPT_P99_MS = 100;
    static final long TARGET_TERMINAL_P99_MS = 2000;
    static final double TARGET_GATEWAY_RATIO = 0.7;
    static final Duration TARGET_READY = Duration.ofSeconds(45);

    private final Options options;
    private final Settings settings;
    private final Startup startup;
    private final Step warmup;
    private final List<Step> steps;
    private final List<Proxy> proxies;
    private final List<Ceiling> ceilings;
    private final Path results;

    BenchmarkReport(Options options, Settings settings, Startup startup, Step warmup, List<Step> steps, List<Proxy> proxies,
            List<Ceiling> ceilings, Path results) {
        this.options = options;
        this.settings = settings;
        this.startup = startup;
        this.warmup = warmup;
        this.steps = steps;
        this.proxies = proxies;
        this.ceilings = ceilings;
        this.results = results;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Emporium benchmark, ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
            .append("\n\n");
        machine(md);
        targets(md);
        orders(md);
        cpu(md);
        database(md);
        gateway(md);
        startup(md);
        return md.toString();
    }

    private void machine(StringBuilder md) {
        md.append("Command: `./emporium bench").append(options.arguments().isEmpty() ? "" : " " + options.arguments()).append("`, commit ")
            .append(command("git", "-C", settings.root().toString(), "describe", "--always", "--dirty")).append(".  \n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
            .append(cpuModel()).append("), ").append(memoryTotal()).append(", ").append(firstLine(Path.of("/proc/version")).split(" \\(")[0])
            .append(", Java ").append(Runtime.version()).append(". Everything on this one machine: 5 JVMs, PostgreSQL, Kafka,")
            .append(" the load generator.  \n");
        String sampling = BenchmarkRun.traceSampling(System.getenv());
        md.append("Service JVMs: `").append(settings.javaOptions()).append("`, the gateway's and the bare gateway's also `")
            .append(settings.gatewayJavaOptions()).append("`, JDK AOT cache ")
            .append(settings.aotCache() ? "on" + aotTraining() : "off").append("; trace sampling: ")
            .append(sampling).append(sampling.equals(BenchmarkRun.PRODUCTION_TRACE_SAMPLING)
                    ? " (the prod overlay's; `EMPORIUM_TRACE_SAMPLING=1.0` for the local run's)" : " (`EMPORIUM_TRACE_SAMPLING`)")
            .append(".\n\n");
    }

    /** Whose methods' profiles the AOT caches hold: they decide how much the JIT still does in the warm-up. */
    private String aotTraining() {
        return startup.aotTraining()
            .map(training -> String.format(Locale.ROOT, ", trained on this run's first start, which took %d orders of the warm-up's ramp"
                    + " (%.1f confirmed/s) before it stopped", training.started(), training.confirmedPerSecond()))
            .orElse(", made before this run (by an earlier start after the build, trained on what that start ran; delete"
                    + " `*/target/aot/` to train them on this run's orders)");
    }

    private void targets(StringBuilder md) {
        md.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
        Optional<Step> best = highestHolding();
        Optional<Step> at150 = steps.stream().filter(step -> step.rate() >= TARGET_ORDERS_PER_SECOND).findFirst();
        md.append(row("≥ 150 confirmed orders/s for 60 s, < 1 % failed", best.map(s -> f1(s.confirmedPerSecond()) + " orders/s (step "
                + s.rate() + "/s)").orElse("no step held"), best.filter(s -> s.confirmedPerSecond() >= TARGET_ORDERS_PER_SECOND * 0.97
                && s.rate() >= TARGET_ORDERS_PER_SECOND).isPresent()));
        md.append(row("accept p99 ≤ 100 ms at 150/s", at150.map(s -> s.acceptP99() + " ms").orElse("not reached"),
                at150.filter(s -> s.acceptP99() <= TARGET_ACCEPT_P99_MS).isPresent()));
        md.append(row("order to terminal p99 ≤ 2 s at 150/s", at150.map(s -> s.terminalP99() + " ms").orElse("not reached"),
                at150.filter(s -> s.terminalP99() <= TARGET_TERMINAL_P99_MS).isPresent()));
        List<Double> rounds = perRound("gateway", "direct");
        Optional<Double> ratio = rounds.isEmpty() ? Optional.empty() : Optional.of(Figures.median(rounds));
        md.append(row("gateway throughput ≥ 0.7 × direct", ratio.map(r -> f2(r) + " (rounds: " + range(rounds) + ")").orElse("not measured"),
                ratio.filter(r -> r >= TARGET_GATEWAY_RATIO).isPresent()));
        md.append(row("ready ≤ 45 s", f1(startup.ready().toMillis() / 1000.0) + " s", startup.ready().compareTo(TARGET_READY) <= 0));
        double ceiling = ceiling();
        if (ceiling > 0) {
            md.append(String.format(Locale.ROOT, "%nBest sustained rate / database ceiling: %s / %.0f = **%.2f**.%n%n",
                    best.map(s -> f1(s.confirmedPerSecond())).orElse("0"), ceiling,
                    best.map(Step::confirmedPerSecond).orElse(0.0) / ceiling));
        }
    }

    private void orders(StringBuilder md) {
        md.append("## Orders through the gateway (Gatling, open model)\n\n");
        md.append(String.format(Locale.ROOT, "Each step: a fixed arrival rate for %d s (before them a warm-up rising from 1 to %d/s over %d s, then %d s at that rate, not shown:"
                + " the JIT compiles for minutes after a start, and the steps measure a warm platform); one virtual user ="
                + " one order (POST, then GETs that wait up to 5 s for the decision, `?wait=5`, until CONFIRMED or REJECTED). The steps stop at the first that fails"
                + " (≥ 1 %% of its orders refused at once as the shop is full, `503`, or not terminal, or accept p99 > %d ms); then up to two more between the last rate that held and the first that did not,"
                + " each halving the gap (to 5/s), and one more at twice the best rate that held (overload), unless one at least that fast ran: what the shop still confirms when"
                + " far more orders arrive than it can take.%n%n", options.step().toSeconds(), options.warmupRate(),
                options.warmup().toSeconds(), options.warmupHold().toSeconds(), Step.BENT_ACCEPT_P99_MS));
        md.append(String.format(Locale.ROOT, "The warm-up: %d orders, %.1f confirmed/s, %d shed (503), %d failed, accept p99 %d ms.",
                warmup.started(), warmup.confirmedPerSecond(), warmup.shed(), warmup.failed(), warmup.acceptP99()));
        BenchmarkRun.overloaded(warmup).ifPresent(warning -> md.append(" **Note: ").append(warning).append("**"));
        md.append("\n\n");
        md.append("| rate/s | orders | confirmed/s | rejected | shed (503) | shed p99 | failed | accept p50 | p95 | p99 | to terminal p50 | p99 | Gatling |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Step step : steps) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %d (%.1f %%) | %d ms | %d (%.1f %%) | %d ms | %d ms | %d ms | %d ms | %d ms | %s |%n",
                    step.rate() + (step.label().startsWith(BenchmarkRun.OVERLOAD) ? " (overload)" : ""), step.started(), step.confirmedPerSecond(), step.rejected(), step.shed(), 100 * step.shedShare(),
                    step.shedP99(), step.failed(), 100 * step.failedShare(),
                    step.acceptP50(), step.acceptP95(), step.acceptP99(), step.terminalP50(), step.terminalP99(),
                    step.gatlingReport() == null ? "" : "[html](" + step.gatlingReport() + ")"));
        }
        md.append('\n');
    }

    private void cpu(StringBuilder md) {
        Set<String> processes = new LinkedHashSet<>();
        steps.forEach(step -> processes.addAll(step.cpuMsPerOrder().keySet()));
        if (processes.isEmpty()) {
            return;
        }
        md.append("## CPU per confirmed order\n\nCPU milliseconds per confirmed order, from /proc (utime + stime, children included)"
                + " over the last three quarters of each step. \"of which JIT\": the part that the JVMs' C1 and C2 compiler threads"
                + " used, the JIT still compiling, which a service running for days pays once rather than per order.\n\n| rate/s |");
        processes.forEach(process -> md.append(' ').append(process).append(" |"));
        md.append(" total | of which JIT |\n|---:|");
        processes.forEach(process -> md.append("---:|"));
        md.append("---:|---:|\n");
        for (Step step : steps) {
            md.append("| ").append(step.rate()).append(" |");
            if (step.cpuMsPerOrder().isEmpty()) {
                processes.forEach(process -> md.append(" – |"));
                md.append(" no order of the steady part confirmed | – |\n");
                continue;
            }
            processes.forEach(process -> md.append(' ').append(f1(step.cpuMsPerOrder().getOrDefault(process, 0.0))).append(" |"));
            md.append(" **").append(f1(step.cpuMsPerOrder().values().stream().mapToDouble(Double::doubleValue).sum())).append("** | ")
                .append(f1(step.compilingMsPerOrder().values().stream().mapToDouble(Double::doubleValue).sum())).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%nAt %d cores, a total of T ms per order allows at most %d000 / T orders/s.%n%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors()));
    }

    private void database(StringBuilder md) {
        if (ceilings.isEmpty()) {
            return;
        }
        md.append("## Database ceiling (pgbench)\n\n");
        md.append(String.format(Locale.ROOT, "pgbench -M prepared -c %d (a service's pool) runs the SQL of one order in each database"
                + " (tools/benchmark/pgbench/*.sql, copied from PostgreSQL's statement log), one after the other, with the platform"
                + " idle. Ceiling = 1 / Σ (1 / orders/s of each database): the rate at which PostgreSQL alone would be saturated.%n%n",
                BenchmarkRun.POOL_SIZE));
        md.append("| database | orders/s (script runs/s) | transactions per order | TPS | output |\n|---|---:|---:|---:|---|\n");
        for (Ceiling ceiling : ceilings) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %.0f | [log](%s) |%n", ceiling.database(), ceiling.scriptsPerSecond(),
                    ceiling.transactionsPerOrder(), ceiling.scriptsPerSecond() * ceiling.transactionsPerOrder(), ceiling.output()));
        }
        int transactions = ceilings.stream().mapToInt(Ceiling::transactionsPerOrder).sum();
        md.append(String.format(Locale.ROOT, "| **all three** | **%.0f** | %d | | |%n%n", ceiling(), transactions));
    }

    private static String cpuMs(double ms) {
        return Double.isNaN(ms) ? "" : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private void gateway(StringBuilder md) {
        if (proxies.isEmpty()) {
            return;
        }
        md.append("## The gateway against the service and nginx\n\n");
        if (proxies.stream().anyMatch(p -> p.target().equals("bare-gateway"))) {
            md.append("`bare-gateway` is Spring Cloud Gateway alone (`tools/benchmark/bare-gateway`): the same framework, traces and metrics,"
                    + " one static route, none of the gateway's security, rate limits or discovery. The gap between it and `gateway` is what"
                    + " those cost; the gap between it and `direct` is the framework's.\n\n");
        }
        md.append(String.format(Locale.ROOT, "GET /api/products?size=20, %d alternating rounds (gateway, bare-gateway, direct, nginx, gateway, ...) after %d"
                + " not counted (the JIT compiling each target's path). Per"
                + " round and target: %d s at a fixed %d requests/s (latency), then %d s of %d users in a closed loop (throughput)."
                + " Medians over the rounds; the throughput × direct is the median of each round's ratio to `direct` in that round (the"
                + " machine's speed drifts between rounds, the targets of one round run seconds apart), and its range over the rounds is"
                + " shown beside it. CPU per request: `utime + stime` from /proc over the middle 80 %% of each closed loop, of the"
                + " target's own process (for `direct`, none) and of inventory-service, divided by the requests of that window.%n%n",
                options.gatewayRounds(), GatewayComparison.GATEWAY_WARMUP_ROUNDS, options.gatewayPhase().toSeconds(), options.gatewayRate(),
                options.gatewayPhase().toSeconds(), options.gatewayConcurrency()));
        md.append("| target | requests/s (closed loop) | × direct | over the rounds | its CPU per request | inventory-service's | p50 at fixed rate"
                + " | p99 | × direct | failed |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Proxy direct = proxies.stream().filter(p -> p.target().equals("direct")).findFirst().orElse(null);
        for (Proxy proxy : proxies) {
            List<Double> rounds = direct == null ? List.of() : proxy.perRound(direct);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %s | %d ms | %d ms | %s | %d |%n", proxy.target(),
                    proxy.medianThroughput(), rounds.isEmpty() ? "" : f2(Figures.median(rounds)), range(rounds), cpuMs(proxy.proxyCpuMs()),
                    cpuMs(proxy.serviceCpuMs()), proxy.medianP50(), proxy.medianP99(),
                    direct == null || direct.medianP99() == 0 ? "" : f2((double) proxy.medianP99() / direct.medianP99()), proxy.failures()));
        }
        md.append('\n');
    }

    private void startup(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "## Startup%n%nFrom the launch to \"ready\" (the gateway routes to every service and a"
                + " login works): **%.1f s**. Resident memory then:%n%n| process | RSS |%n|---|---:|%n", startup.ready().toMillis() / 1000.0));
        startup.memory().forEach((process, kib) -> md.append(String.format(Locale.ROOT, "| %s | %d MiB |%n", process, kib / 1024)));
        md.append("\n(PostgreSQL: PSS summed over the postmaster and its backends.) Raw samples, logs and Gatling's HTML: `")
            .append(settings.root().relativize(results.toAbsolutePath())).append("`.\n");
    }

    private Optional<Step> highestHolding() {
        return BenchmarkRun.highestHolding(steps);
    }

    /** {@code target}'s throughput over {@code base}'s in each round; empty when either was not measured. */
    private List<Double> perRound(String target, String base) {
        Optional<Proxy> a = proxies.stream().filter(p -> p.target().equals(target)).findFirst();
        Optional<Proxy> b = proxies.stream().filter(p -> p.target().equals(base)).findFirst();
        return a.flatMap(x -> b.map(x::perRound)).orElse(List.of());
    }

    /** The lowest and highest of some ratios, "0.55-0.70"; empty when there are none. */
    static String range(List<Double> ratios) {
        return ratios.isEmpty() ? "" : f2(Collections.min(ratios)) + "-" + f2(Collections.max(ratios));
    }

    double ceiling() {
        double inverse = ceilings.stream().mapToDouble(c -> 1 / c.scriptsPerSecond()).sum();
        return inverse == 0 ? 0 : 1 / inverse;
    }

    private static String row(String target, String measured, boolean met) {
        return "| " + target + " | " + measured + " | " + (met ? "met" : "**missed**") + " |\n";
    }

    private static String f1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String f2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String cpuModel() {
        return lines(Path.of("/proc/cpuinfo")).filter(line -> line.startsWith("model name")).map(line -> line.split(":", 2)[1].strip())
            .findFirst().orElse("unknown CPU");
    }

    private static String memoryTotal() {
        return lines(Path.of("/proc/meminfo")).filter(line -> line.startsWith("MemTotal:"))
            .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB").findFirst().orElse("? GiB");
    }

    private static String firstLine(Path file) {
        return lines(file).findFirst().orElse("");
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        }
        catch (IOException e) {
            return Stream.empty();
        }
    }

    private static String command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? output : "unknown";
        }
        catch (IOException e) {
            return "unknown";
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
