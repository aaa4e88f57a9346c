package dev.emporium.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import dev.emporium.launcher.Launcher;
import dev.emporium.launcher.Platform;
import dev.emporium.launcher.Settings;

/**
 * {@code ./emporium bench}: how many orders per second this machine confirms end to end, next to
 * what it could at most, all measured in one run on one platform of its own (its own data and ports):
 * <ol>
 * <li>startup: from the launch to "ready", and each process's resident memory;</li>
 * <li>orders: Gatling ({@code tools/benchmark/load}, {@code OrderThroughput}) at a fixed arrival rate, in rising
 * steps until one fails (1 % or more of its orders not terminal, or accept p99 over a second), with
 * each process's CPU per confirmed order read from /proc over the step;</li>
 * <li>the gateway: the same GET through the gateway, to the service directly, and through nginx, in
 * alternating rounds ({@code GatewayOverhead});</li>
 * <li>the database: pgbench running the SQL of one order (tools/benchmark/pgbench) at the services' pool size.</li>
 * </ol>
 * Writes {@code report.md}, the samples and Gatling's HTML under {@code .emporium/benchmark/<time>/}.
 * <p>
 * Longer than the project's 300 lines on purpose: the run's phases in the order they happen (start,
 * warm-up, rate steps and their refinement, the gateway, the database). What has a job of its own is a
 * class of its own: {@link Options}, {@link Step}, {@link GatewayComparison}, {@link Gatling},
 * {@link Pgbench}, {@link Figures}, {@link BenchmarkReport}.
 */
public final class BenchmarkRun {

    static final int PORT_OFFSET = 3000;
    /** Hikari's default pool, which no service changes: pgbench runs with as many connections. */
    static final int POOL_SIZE = 10;
    static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);
    /** The label of the step past the knee, see {@link #overloadRate}. */
    static final String OVERLOAD = "overload-";
    /** The label of the AOT training run's orders (their samples: {@code orders-training.csv}). */
    static final String TRAINING = "training";
    /** A warm-up that refused or failed more than this share of its orders overloaded the machine, see {@link #overloaded}. */
    static final double OVERLOADED_WARMUP = 0.05;
    /** How many steps run between the last rate that held and the first that did not, each halving the gap. */
    static final int REFINEMENTS = 2;
    /** The rates of those steps are multiples of this many orders/s. */
    static final int REFINED_TO = 5;
    /**
     * The trace sampling of the {@code prod} overlay (k8s/overlays/prod): the platform is measured as it
     * runs in production unless {@code EMPORIUM_TRACE_SAMPLING} says otherwise (1.0, the local run's, costs
     * more CPU per order).
     */
    static final String PRODUCTION_TRACE_SAMPLING = "0.1";

    /**
     * What to tell the reader when the warm-up overloaded the machine: the adaptive admission limit shrank
     * meanwhile, and the first steps start from there.
     */
    static Optional<String> overloaded(Step warmup) {
        double refused = warmup.shedShare() + warmup.failedShare();
        if (refused <= OVERLOADED_WARMUP) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "the warm-up overloaded this machine: %.0f %% of its orders were refused or"
                + " failed, and it confirmed %.1f/s. The first steps start with the admission limit shrunk and may shed for that"
                + " reason alone. Run again with a warm-up this machine can take, e.g. --warmup=%d.",
                100 * refused, warmup.confirmedPerSecond(), Math.max(1, (int) warmup.confirmedPerSecond())));
    }

    private final Options options;
    private final Platform platform;
    private final Settings settings;
    private final Path results;
    private final ProcessCpu cpu;
    private final OrderTraffic traffic;
    private volatile Long loadGenerator;
    private volatile Long pgbench;
    /** The gateway comparison's yardsticks while they run (bare-gateway, nginx), followed like the platform. */
    private final Map<String, Long> yardsticks = new java.util.concurrent.ConcurrentHashMap<>();
    private final Gatling gatling;

    private BenchmarkRun(Options options, Platform platform, Settings settings, Path results) {
        this.options = options;
        this.platform = platform;
        this.settings = settings;
        this.results = results;
        this.cpu = new ProcessCpu(this::followed);
        this.traffic = new OrderTraffic(platform);
        this.gatling = new Gatling(settings, platform, results, pid -> loadGenerator = pid);
    }

    /** {@code java -jar benchmark-exec.jar [options]}; {@code ./emporium bench} is the friendly way in. */
    public static void main(String[] args) {
        Launcher.quietLibraryLogging();
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (java.util.Arrays.asList(args).contains("--balancer")) {
            return BalancerExperiment.run(args);
        }
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException e) {
            System.out.println("emporium bench: " + e.getMessage());
            return 2;
        }
        Settings settings = Settings.ownPlatform(System.getenv(), "EMPORIUM_BENCH_HOME", ".emporium/bench", PORT_OFFSET);
        Map<String, String> limits = new HashMap<>(Platform.GATEWAY_LIMITS_LIFTED);
        limits.put("EMPORIUM_TRACE_SAMPLING", traceSampling(System.getenv()));
        Path results = Optional.ofNullable(System.getenv("EMPORIUM_BENCH_RESULTS")).map(Path::of).orElseGet(() -> settings.root()
            .resolve(".emporium/benchmark/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        Platform platform = new Platform(settings, limits);
        System.out.println("emporium bench: results in " + results);
        if (!ProcessCpu.available()) {
            System.out.println("emporium bench: /proc is not readable here; the CPU figures need Linux");
            return 1;
        }
        Instant launched = settings.startedAt();
        if (!platform.start()) {
            return 1;
        }
        Optional<Step> aotTraining = Optional.empty();
        if (platform.trainsAotCaches()) {
            // a first start after a build, which records the JVMs' AOT configurations when it stops: not
            // what a developer or a pod sees from then on, so train it on orders, stop it, make the caches
            // and start again
            System.out.println("emporium bench: the jars are new; training the JVMs' AOT caches on the warm-up's orders, then restarting"
                    + " once so that they start from them");
            aotTraining = new BenchmarkRun(options, platform, settings, results).train();
            platform.shutdown();
            platform.prepareAotCaches();
            Settings again = settings.launchedNow();
            platform = new Platform(again, limits);
            launched = again.startedAt();
            if (!platform.start()) {
                return 1;
            }
        }
        Startup startup = new Startup(Duration.between(launched, Instant.now()), platform.residentKib(), aotTraining);
        try {
            Files.createDirectories(results);
            return new BenchmarkRun(options, platform, settings, results).execute(startup) ? 0 : 1;
        }
        catch (IOException e) {
            System.out.println("emporium bench: " + e.getMessage());
            return 1;
        }
        finally {
            platform.shutdown();
        }
    }

    /** What the services sample: {@code EMPORIUM_TRACE_SAMPLING} if set, else the production overlay's rate. */
    static String traceSampling(Map<String, String> environment) {
        String sampling = environment.get("EMPORIUM_TRACE_SAMPLING");
        return sampling == null || sampling.isBlank() ? PRODUCTION_TRACE_SAMPLING : sampling;
    }

    private Map<String, Long> followed() {
        Map<String, Long> pids = new LinkedHashMap<>(platform.pids());
        pids.put("launcher", ProcessHandle.current().pid());
        Long generator = loadGenerator;
        if (generator != null) {
            pids.put("load generator", generator);
        }
        Long database = pgbench;
        if (database != null) {
            pids.put("pgbench", database);
        }
        pids.putAll(yardsticks);
        return pids;
    }

    private boolean execute(Startup startup) {
        try (cpu) {
            OrderSteps orders = orders();
            List<Proxy> proxies = new GatewayComparison(options, platform, settings, results, cpu, yardsticks, gatling).run();
            List<Ceiling> ceilings = database();
            String report = new BenchmarkReport(options, settings, startup, orders.warmup(), orders.steps(), proxies, ceilings, results)
                .markdown() + traffic.markdown();
            Files.writeString(results.resolve("report.md"), report);
            System.out.println(report);
            System.out.println("emporium bench: report in " + results.resolve("report.md"));
            return true;
        }
        catch (IOException | RuntimeException e) {
            // Gatling, nginx or pgbench failed: the message says which and where its log is
            System.out.println("emporium bench: " + e.getMessage());
            return false;
        }
    }

    /**
     * The warm-up's ramp on a platform that records its AOT configuration: the profiles of the methods
     * that orders run (JEP 515) go into the caches, so the measured platform's JIT starts from them
     * instead of from a start that took no orders. Nothing of it is measured; a failure leaves the
     * caches trained on less.
     */
    private Optional<Step> train() {
        try (cpu) {
            Files.createDirectories(results);
            Step training = orderStep(TRAINING, options.warmupRate(), options.warmup(), Duration.ZERO, true);
            System.out.printf(Locale.ROOT, "emporium bench: AOT training on orders rising to %d/s: %s, JIT %.1f ms per order%n",
                    options.warmupRate(), summary(training), compilingMsPerOrder(training));
            return Optional.of(training);
        }
        catch (IOException | RuntimeException e) {
            System.out.println("emporium bench: the AOT training on orders stopped (" + e.getMessage() + "); the caches hold what it"
                    + " recorded until then");
            return Optional.empty();
        }
    }

    private static double compilingMsPerOrder(Step step) {
        return step.compilingMsPerOrder().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    // 1. Orders

    /** The warm-up, and the steps measured after it in the order they ran. */
    record OrderSteps(Step warmup, List<Step> steps) {
    }

    private OrderSteps orders() {
        List<Step> steps = new ArrayList<>();
        Step warmup = orderStep("warmup", options.warmupRate(), options.warmup(), options.warmupHold(), true);
        String hold = options.warmupHold().isZero() ? "" : ", then " + options.warmupHold().toSeconds() + " s at it";
        double cpuMs = warmup.cpuMsPerOrder().values().stream().mapToDouble(Double::doubleValue).sum();
        double jitMs = compilingMsPerOrder(warmup);
        System.out.printf(Locale.ROOT, "emporium bench: warm-up rising to %d orders/s%s: %s, %.1f ms CPU per order, of which JIT %.1f%n",
                options.warmupRate(), hold, summary(warmup), cpuMs, jitMs);
        overloaded(warmup).ifPresent(warning -> System.out.println("emporium bench: " + warning));
        Step held = null;
        Step bent = null;
        for (int rate : options.rates()) {
            Step step = rateStep(rate);
            steps.add(step);
            if (!step.holds()) {
                bent = step;
                break;
            }
            held = step;
        }
        // The steps are far apart above 40/s: halve the gap between the last rate that held and the first
        // that did not, twice, so that "the highest sustained rate" is read to within a few orders/s.
        for (int refinement = 0; refinement < REFINEMENTS && held != null && bent != null; refinement++) {
            OptionalInt between = between(held.rate(), bent.rate());
            if (between.isEmpty()) {
                break;
            }
            Step step = rateStep(between.getAsInt());
            steps.add(step);
            if (step.holds()) {
                held = step;
            }
            else {
                bent = step;
            }
        }
        overloadRate(steps).ifPresent(rate -> {
            Step overload = orderStep(OVERLOAD + rate, rate, options.step(), Duration.ZERO, false);
            steps.add(overload);
            System.out.printf(Locale.ROOT, "emporium bench: %d orders/s (overload): %s%n", rate, summary(overload));
        });
        return new OrderSteps(warmup, steps);
    }

    private Step rateStep(int rate) {
        Step step = orderStep("rate-" + rate, rate, options.step(), Duration.ZERO, false);
        System.out.printf(Locale.ROOT, "emporium bench: %d orders/s: %s%n", rate, summary(step));
        return step;
    }

    /**
     * A rate halfway between one that held and a faster one that did not, on a multiple of 5 orders/s;
     * none when they are less than 10 apart.
     */
    static OptionalInt between(int held, int bent) {
        if (bent - held < 2 * REFINED_TO) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(held + (bent - held) / 2 / REFINED_TO * REFINED_TO);
    }

    /** The fastest step that held, wherever it ran (the steps between two rates run after the faster one). */
    static Optional<Step> highestHolding(List<Step> steps) {
        return steps.stream().filter(Step::holds).max(Comparator.comparingInt(Step::rate));
    }

    /**
     * Twice the best rate that held, unless a step at least that fast ran already: what the shop still
     * confirms when far more orders arrive than it can take (load shedding should keep that near the
     * best rate; without it, every order queues and hardly any finishes in time).
     */
    static Optional<Integer> overloadRate(List<Step> steps) {
        int fastest = steps.stream().mapToInt(Step::rate).max().orElse(0);
        return highestHolding(steps).map(step -> 2 * step.rate()).filter(rate -> rate > fastest);
    }

    private static String summary(Step step) {
        return String.format(Locale.ROOT, "%.1f confirmed/s, %d of %d failed, %d shed (503), accept p99 %d ms, to terminal p99 %d ms",
                step.confirmedPerSecond(), step.failed(), step.started(), step.shed(), step.acceptP99(), step.terminalP99());
    }

    /**
     * One Gatling run at {@code rate} for {@code duration}; with {@code ramp} (the warm-up, the AOT training)
     * it rises to the rate over {@code duration} and then holds it for {@code hold}.
     */
    private Step orderStep(String label, int rate, Duration duration, Duration hold, boolean ramp) {
        Path samples = results.resolve("orders-" + label + ".csv");
        OrderTraffic.Counters before = traffic.read();
        String report = gatling.run("dev.emporium.benchmark.load.OrderThroughput", label, Map.of(
                "bench.gateway", platform.gatewayUrl(),
                "bench.rates", Integer.toString(rate),
                "bench.step", Long.toString(duration.toSeconds()),
                "bench.ramp", Boolean.toString(ramp),
                "bench.hold", Long.toString(hold.toSeconds()),
                "bench.samples", samples.toString()));
        awaitQuiet();
        OrderTraffic.Counters after = traffic.read();
        List<Sample> all = Sample.read(samples);
        List<Sample> accepts = all.stream().filter(s -> s.kind().equals("accept")).toList();
        List<Sample> sheds = all.stream().filter(s -> s.kind().equals("shed")).toList();
        List<Sample> outcomes = all.stream().filter(s -> !s.kind().equals("accept") && !s.kind().equals("shed")).toList();
        int started = accepts.size() + sheds.size();
        int confirmed = (int) outcomes.stream().filter(s -> s.kind().equals("confirmed")).count();
        int rejected = (int) outcomes.stream().filter(s -> s.kind().equals("rejected")).count();
        int failed = (int) (accepts.stream().filter(s -> !s.ok()).count() + outcomes.stream().filter(s -> !s.ok()).count());
        java.util.LongSummaryStatistics arrivals = Stream.concat(accepts.stream(), sheds.stream()).mapToLong(Sample::startMs)
            .summaryStatistics();
        long first = started == 0 ? 0 : arrivals.getMin();
        long last = started == 0 ? 0 : arrivals.getMax();
        // CPU over the steady part: the first quarter of the step (queues filling, pools growing) left out
        Instant from = Instant.ofEpochMilli(first + (last - first) / 4);
        Instant to = Instant.ofEpochMilli(last);
        long confirmedInWindow = outcomes.stream()
            .filter(s -> s.kind().equals("confirmed") && !Instant.ofEpochMilli(s.startMs()).isBefore(from) && !Instant.ofEpochMilli(s.startMs()).isAfter(to))
            .count();
        // none confirmed (a collapse past the knee): no figure per order, rather than a 0 that reads as free
        Map<String, Double> cpuMs = new LinkedHashMap<>();
        Map<String, Double> compilingMs = new LinkedHashMap<>();
        if (confirmedInWindow > 0) {
            cpu.between(from, to).forEach((process, seconds) -> cpuMs.put(process, 1000 * seconds / confirmedInWindow));
            cpu.compilingBetween(from, to).forEach((process, seconds) -> compilingMs.put(process, 1000 * seconds / confirmedInWindow));
        }
        traffic.record(label, rate, confirmed + rejected, before, after);
        double seconds = Math.max(1, (last - first) / 1000.0);
        List<Long> accepted = accepts.stream().filter(Sample::ok).map(Sample::latencyMs).sorted().toList();
        List<Long> terminal = outcomes.stream().filter(Sample::ok).map(Sample::latencyMs).sorted().toList();
        List<Long> refused = sheds.stream().map(Sample::latencyMs).sorted().toList();
        return new Step(label, rate, started, confirmed, rejected, sheds.size(), failed, confirmed / seconds, Figures.percentile(accepted, 50),
                Figures.percentile(accepted, 95), Figures.percentile(accepted, 99), Figures.percentile(refused, 99), Figures.percentile(terminal, 50),
                Figures.percentile(terminal, 99), cpuMs, compilingMs, report);
    }

    /**
     * Until no order is PENDING (at most a minute): the saga's retries of a step that fell behind must
     * not be counted against the next.
     */
    private void awaitQuiet() {
        Instant deadline = Instant.now().plus(QUIET_TIMEOUT);
        try (Connection orders = DriverManager.getConnection(platform.jdbcUrl("orders"), platform.database("orders").role(),
                platform.database("orders").password()); Statement statement = orders.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet pending = statement.executeQuery("select count(*) from orders where status = 'PENDING'")) {
                    pending.next();
                    if (pending.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(Duration.ofSeconds(1));
            }
            System.out.println("emporium bench: orders still PENDING " + QUIET_TIMEOUT.toSeconds() + " s after the step; going on");
        }
        catch (SQLException e) {
            throw new IllegalStateException("could not read the orders database: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // 2. The gateway: see GatewayComparison

    // 3. The database

    private List<Ceiling> database() {
        Path scripts = settings.root().resolve("tools/benchmark/pgbench");
        if (!Pgbench.installed()) {
            System.out.println("emporium bench: pgbench is not installed (Debian: apt-get install postgresql-client); no database ceiling");
            return List.of();
        }
        Pgbench pgbench = new Pgbench(platform, results, scripts, pid -> this.pgbench = pid);
        return Stream.of("orders", "inventory", "users")
            .map(database -> pgbench.run(database, POOL_SIZE, options.pgbenchTime()))
            .toList();
    }
}
