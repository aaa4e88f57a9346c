package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./emporium bench}: how many orders per second this machine confirms end to end, next to
 * what it could at most, all measured in one run on one platform of its own (its own data and ports):
 * <ol>
 * <li>startup: from the launch to "ready", and each process's resident memory;</li>
 * <li>orders: Gatling ({@code libs/benchmark}, {@code OrderThroughput}) at a fixed arrival rate, in rising
 * steps until one fails (1 % or more of its orders not terminal, or accept p99 over a second), with
 * each process's CPU per confirmed order read from /proc over the step;</li>
 * <li>the gateway: the same GET through the gateway, to the service directly, and through nginx, in
 * alternating rounds ({@code GatewayOverhead});</li>
 * <li>the database: pgbench running the SQL of one order (libs/benchmark/pgbench) at the services' pool size.</li>
 * </ol>
 * Writes {@code report.md}, the samples and Gatling's HTML under {@code .emporium/benchmark/<time>/}.
 */
final class BenchmarkRun {

    static final int PORT_OFFSET = 3000;
    /** Hikari's default pool, which no service changes: pgbench runs with as many connections. */
    static final int POOL_SIZE = 10;
    /** A step whose accept p99 is above this has bent, even without failures. */
    static final long BENT_ACCEPT_P99_MS = 1000;
    static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Rounds of the gateway comparison run first and not counted: the GET's path through each target is
     * compiled by then. On targets just started, the first rounds are slower and dearer than the rest
     * while the JIT compiles each path.
     */
    static final int GATEWAY_WARMUP_ROUNDS = 3;
    /** The label of the step past the knee, see {@link #overloadRate}. */
    static final String OVERLOAD = "overload-";
    /** The label of the AOT training run's orders (their samples: {@code orders-training.csv}). */
    static final String TRAINING = "training";
    /** A warm-up that refused or failed more than this share of its orders overloaded the machine, see {@link #overloaded}. */
    static final double OVERLOADED_WARMUP = 0.05;
    static final String USAGE = "--quick, --rates=10,20,40 (orders/s per step), --step=60 (seconds), --warmup=30 (the warm-up's orders/s)";
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
     * What one run does. The warm-up rises from 1 to {@code warmupRate} orders/s over {@code warmup}, then
     * holds that rate for {@code warmupHold}: the JIT keeps compiling for minutes after a start, and the steps are to measure a warm
     * platform, as a shop that has run for a day is.
     */
    record Options(int warmupRate, Duration warmup, Duration warmupHold, List<Integer> rates, Duration step, int gatewayRate,
            int gatewayConcurrency, Duration gatewayPhase, int gatewayRounds, Duration pgbenchTime, String arguments) {

        Options with(String arguments) {
            return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                    pgbenchTime, arguments);
        }

        Options withRates(List<Integer> rates) {
            return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                    pgbenchTime, arguments);
        }

        Options withWarmupRate(int warmupRate) {
            return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                    pgbenchTime, arguments);
        }

        Options withStep(Duration step) {
            return new Options(warmupRate, warmup, warmupHold, rates, step, gatewayRate, gatewayConcurrency, gatewayPhase, gatewayRounds,
                    pgbenchTime, arguments);
        }

        // The gateway comparison counts an odd number of rounds: the median ratio is then one round's.
        static Options full() {
            return new Options(30, Duration.ofSeconds(90), Duration.ofSeconds(240), List.of(10, 20, 30, 40, 60, 80, 110, 150, 200),
                    Duration.ofSeconds(60), 200, 16, Duration.ofSeconds(10), 5, Duration.ofSeconds(20), "");
        }

        static Options quick() {
            return new Options(10, Duration.ofSeconds(40), Duration.ZERO, List.of(5, 10, 15, 20), Duration.ofSeconds(20), 100, 8,
                    Duration.ofSeconds(6), 3, Duration.ofSeconds(8), "");
        }

        static Options parse(String[] args) {
            Options options = List.of(args).contains("--quick") ? quick() : full();
            for (String arg : args) {
                if (arg.equals("--quick")) {
                    continue;
                }
                String[] option = arg.split("=", 2);
                if (option.length != 2) {
                    throw new IllegalArgumentException("Unknown argument '" + arg + "'. Use " + USAGE);
                }
                options = switch (option[0]) {
                    case "--rates" -> options.withRates(Stream.of(option[1].split(",")).map(rate -> positive(arg, rate)).toList());
                    case "--step" -> options.withStep(Duration.ofSeconds(positive(arg, option[1])));
                    case "--warmup" -> options.withWarmupRate(positive(arg, option[1]));
                    default -> throw new IllegalArgumentException("Unknown option '" + option[0] + "'. Use " + USAGE);
                };
            }
            return options.with(String.join(" ", args));
        }

        private static int positive(String arg, String number) {
            try {
                int value = Integer.parseInt(number.trim());
                if (value > 0) {
                    return value;
                }
            }
            catch (NumberFormatException e) {
                // the message below says what is expected
            }
            throw new IllegalArgumentException("'" + arg + "': '" + number.trim() + "' is not a whole number above 0. Use " + USAGE);
        }
    }

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

    /** One line of a Gatling samples file: see libs/benchmark's {@code Samples}. */
    record Sample(String kind, String label, long startMs, long latencyMs, boolean ok) {

        static List<Sample> read(Path file) {
            if (!Files.exists(file)) {
                return List.of();
            }
            try (Stream<String> lines = Files.lines(file)) {
                return lines.map(line -> line.split(","))
                    .filter(fields -> fields.length == 5)
                    .map(f -> new Sample(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Boolean.parseBoolean(f[4])))
                    .toList();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One step's orders. {@code started} counts every order the load generator sent, {@code shed} those
     * the shop refused at once with a 503 because it was full (load shedding; nothing was ordered), and
     * {@code failed} those that went wrong otherwise (an error, a timeout, not terminal within 30 s).
     * The accept latencies are of the orders taken (201).
     */
    record Step(String label, int rate, int started, int confirmed, int rejected, int shed, int failed, double confirmedPerSecond,
            long acceptP50, long acceptP95, long acceptP99, long shedP99, long terminalP50, long terminalP99,
            Map<String, Double> cpuMsPerOrder, Map<String, Double> compilingMsPerOrder, String gatlingReport) {

        double failedShare() {
            return started == 0 ? 1 : (double) failed / started;
        }

        double shedShare() {
            return started == 0 ? 0 : (double) shed / started;
        }

        /** A rate is sustained when nearly every order sent was taken and decided in time: a shed order was not. */
        boolean holds() {
            return started > 0 && failedShare() + shedShare() < 0.01 && acceptP99 <= BENT_ACCEPT_P99_MS;
        }
    }

    /**
     * One target of the gateway comparison: its closed loop's requests/s in each counted round, in
     * round order, and medians over the rounds. {@code proxyCpuMs}: the CPU the target's own process
     * (the gateway, the bare gateway, nginx) used per request of the closed loop; NaN for the service
     * itself. {@code serviceCpuMs}: what inventory-service used per request.
     */
    record Proxy(String target, List<Double> throughputs, long medianP50, long medianP99, int failures, double proxyCpuMs,
            double serviceCpuMs) {

        Proxy {
            throughputs = List.copyOf(throughputs);
        }

        double medianThroughput() {
            return throughputs.isEmpty() ? 0 : median(throughputs);
        }

        /**
         * This target's throughput over {@code base}'s, round by round. The targets take turns within a
         * round, a few seconds apart, while a machine's speed drifts between rounds: a ratio of neighbours
         * cancels that drift, a ratio of the two medians does not. Rounds where {@code base} served
         * nothing are left out.
         */
        List<Double> perRound(Proxy base) {
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < Math.min(throughputs.size(), base.throughputs().size()); round++) {
                if (base.throughputs().get(round) > 0) {
                    ratios.add(throughputs.get(round) / base.throughputs().get(round));
                }
            }
            return ratios;
        }
    }

    /**
     * The platform as the steps found it: the time from launch to ready, each process's RSS then, and the
     * orders that trained its AOT caches on this run's first start (none: the caches were there already,
     * or training on orders failed).
     */
    record Startup(Duration ready, Map<String, Long> memory, Optional<Step> aotTraining) {
    }

    record Ceiling(String database, double scriptsPerSecond, int transactionsPerOrder, String output) {
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

    private BenchmarkRun(Options options, Platform platform, Settings settings, Path results) {
        this.options = options;
        this.platform = platform;
        this.settings = settings;
        this.results = results;
        this.cpu = new ProcessCpu(this::followed);
        this.traffic = new OrderTraffic(platform);
    }

    static int run(String[] args) {
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
            List<Proxy> proxies = gateway();
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
        String report = gatling("dev.emporium.benchmark.OrderThroughput", label, Map.of(
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
        return new Step(label, rate, started, confirmed, rejected, sheds.size(), failed, confirmed / seconds, percentile(accepted, 50),
                percentile(accepted, 95), percentile(accepted, 99), percentile(refused, 99), percentile(terminal, 50),
                percentile(terminal, 99), cpuMs, compilingMs, report);
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

    // 2. The gateway

    private List<Proxy> gateway() {
        int direct = platform.port(Platform.service("inventory-service"));
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("gateway", platform.gatewayUrl());
        // the framework alone, traced as the gateway is: what the gateway costs beyond it is its own work
        Optional<ManagedProcess> bare = BareGateway.start(settings, results.resolve("bare-gateway"), settings.port(8091), settings.port(9091), direct,
                Map.of("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", platform.otlpEndpoint(),
                        "EMPORIUM_TRACE_SAMPLING", traceSampling(System.getenv())));
        bare.ifPresent(process -> yardsticks.put("bare-gateway", process.pid()));
        bare.ifPresentOrElse(process -> targets.put("bare-gateway", "http://localhost:" + settings.port(8091)),
                () -> System.out.println("emporium bench: " + BareGateway.JAR + " is not built (./emporium bench builds it); comparing without it"));
        targets.put("direct", "http://localhost:" + direct);
        Optional<ManagedProcess> nginx = Nginx.start(results.resolve("nginx"), settings.port(8090), direct);
        nginx.ifPresent(process -> yardsticks.put("nginx", process.pid()));
        nginx.ifPresent(process -> targets.put("nginx", "http://localhost:" + settings.port(8090)));
        if (nginx.isEmpty()) {
            System.out.println("emporium bench: nginx is not installed (Debian: apt-get install nginx-light); comparing the gateway with the"
                    + " service only");
        }
        Path samples = results.resolve("gateway.csv");
        try {
            gatling("dev.emporium.benchmark.GatewayOverhead", "gateway", Map.of(
                    "bench.targets", String.join(",", targets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                    "bench.rate", Integer.toString(options.gatewayRate()),
                    "bench.concurrency", Integer.toString(options.gatewayConcurrency()),
                    "bench.step", Long.toString(options.gatewayPhase().toSeconds()),
                    "bench.rounds", Integer.toString(GATEWAY_WARMUP_ROUNDS + options.gatewayRounds()),
                    "bench.samples", samples.toString()));
        }
        finally {
            nginx.ifPresent(Nginx::stop);
            bare.ifPresent(ReferenceProxy::stop);
            yardsticks.clear();
        }
        List<Sample> all = Sample.read(samples);
        List<Proxy> proxies = new ArrayList<>();
        for (String target : targets.keySet()) {
            List<Double> throughputs = new ArrayList<>();
            List<Long> p50s = new ArrayList<>();
            List<Long> p99s = new ArrayList<>();
            List<Double> proxyCpu = new ArrayList<>();
            List<Double> serviceCpu = new ArrayList<>();
            int failures = 0;
            for (int round = GATEWAY_WARMUP_ROUNDS + 1; round <= GATEWAY_WARMUP_ROUNDS + options.gatewayRounds(); round++) {
                String label = target + "#" + round;
                List<Sample> fixed = all.stream().filter(s -> s.kind().equals("fixed") && s.label().equals(label)).toList();
                List<Sample> closed = all.stream().filter(s -> s.kind().equals("closed") && s.label().equals(label)).toList();
                failures += (int) Stream.concat(fixed.stream(), closed.stream()).filter(s -> !s.ok()).count();
                List<Long> latencies = fixed.stream().filter(Sample::ok).map(Sample::latencyMs).sorted().toList();
                p50s.add(percentile(latencies, 50));
                p99s.add(percentile(latencies, 99));
                long first = closed.stream().mapToLong(Sample::startMs).min().orElse(0);
                long end = closed.stream().mapToLong(s -> s.startMs() + s.latencyMs()).max().orElse(first);
                throughputs.add(closed.stream().filter(Sample::ok).count() / Math.max(0.001, (end - first) / 1000.0));
                // CPU per request over the middle of the closed loop (its start and end are ramps)
                ProcessCpu.Window window = cpu.window(Instant.ofEpochMilli(first + (end - first) / 10),
                        Instant.ofEpochMilli(end - (end - first) / 10));
                long requests = closed.stream().filter(s -> !Instant.ofEpochMilli(s.startMs()).isBefore(window.from())
                        && Instant.ofEpochMilli(s.startMs()).isBefore(window.to())).count();
                proxyCpu.add(target.equals("direct") ? Double.NaN : msPerRequest(window.seconds().get(target), requests));
                serviceCpu.add(msPerRequest(window.seconds().get("inventory-service"), requests));
            }
            proxies.add(new Proxy(target, throughputs, median(p50s), median(p99s), failures, medianOrNaN(proxyCpu),
                    medianOrNaN(serviceCpu)));
        }
        return proxies;
    }

    // 3. The database

    private List<Ceiling> database() {
        Path scripts = settings.root().resolve("libs/benchmark/pgbench");
        if (!Pgbench.installed()) {
            System.out.println("emporium bench: pgbench is not installed (Debian: apt-get install postgresql-client); no database ceiling");
            return List.of();
        }
        Pgbench pgbench = new Pgbench(platform, results, scripts, pid -> this.pgbench = pid);
        return Stream.of("orders", "inventory", "users")
            .map(database -> pgbench.run(database, POOL_SIZE, options.pgbenchTime()))
            .toList();
    }

    // Gatling, through Maven (the benchmark module is not part of the platform's jars)

    private String gatling(String simulation, String label, Map<String, String> properties) {
        List<String> command = new ArrayList<>(List.of(settings.root().resolve("mvnw").toString(), "-B", "-ntp", "-q",
                "-f", settings.root().resolve("libs/benchmark/pom.xml").toString(), "gatling:test",
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
            loadGenerator = process.pid();
            boolean done = process.waitFor(30, TimeUnit.MINUTES);
            loadGenerator = null;
            if (!done || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Gatling (" + simulation + ") failed; see " + log + ":\n" + tail(log));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.getFirst(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Gatling ran", e);
        }
        Matcher report = Pattern.compile("file://(\\S+index\\.html)").matcher(read(log));
        String html = null;
        while (report.find()) {
            html = report.group(1);
        }
        return html == null ? null : results.relativize(Path.of(html)).toString();
    }

    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Milliseconds of CPU per request; NaN when the process was not followed or nothing was counted. */
    static double msPerRequest(Double cpuSeconds, long requests) {
        return cpuSeconds == null || requests == 0 ? Double.NaN : 1000 * cpuSeconds / requests;
    }

    /** The median of the figures that exist; NaN when none does. */
    static double medianOrNaN(List<Double> values) {
        List<Double> known = values.stream().filter(value -> !value.isNaN()).toList();
        return known.isEmpty() ? Double.NaN : median(known);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path file) {
        List<String> lines = read(file).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
