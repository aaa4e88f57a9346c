package dev.emporium.benchmark;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.emporium.launcher.Http;
import dev.emporium.launcher.Platform;
import dev.emporium.launcher.Settings;

/**
 * {@code ./emporium bench --balancer}: round robin against the least-loaded balancer (ADR 14) when one
 * of two inventory-service instances is slow. Each round starts a platform of its own with two
 * instances of each service and the gateway's balancer set, warms it up, then sends
 * {@code GET /api/products} at a fixed arrival rate (open model: a slow answer does not slow the
 * arrivals) while {@code inventory-service-2} is stopped (SIGSTOP) for {@link #STALL} of every
 * {@link #STALL_PERIOD}, as a long GC pause or a noisy neighbour would. Reported per round: the
 * latency at the edge (median, p99), failures, and the share of the requests each instance answered
 * (from its own {@code http_server_requests} count). Rounds alternate, round robin first: RR LL LL RR
 * by default ({@code --rounds=N} pairs), so that a machine whose speed drifts favours neither.
 */
final class BalancerExperiment {

    static final Duration STALL = Duration.ofMillis(300);
    static final Duration STALL_PERIOD = Duration.ofSeconds(1);
    static final Duration WARM_UP = Duration.ofSeconds(30);
    static final Duration MEASURED = Duration.ofSeconds(60);
    static final String SLOW = "inventory-service-2";
    static final String PATH = "/api/products";

    record Round(String balancer, int sent, int failed, double medianMs, double p99Ms, Map<String, Long> answeredBy) {

        String share(String instance) {
            long total = answeredBy.values().stream().mapToLong(Long::longValue).sum();
            return total == 0 ? "-" : Math.round(100.0 * answeredBy.getOrDefault(instance, 0L) / total) + " %";
        }
    }

    private final int rate;
    private final int pairs;

    private BalancerExperiment(int rate, int pairs) {
        this.rate = rate;
        this.pairs = pairs;
    }

    /** {@code --balancer [--rate=N] [--rounds=N]}. */
    static int run(String[] args) {
        int rate = 40;
        int pairs = 2;
        for (String arg : args) {
            if (arg.equals("--balancer")) {
                continue;
            }
            String[] option = arg.split("=", 2);
            switch (option[0]) {
                case "--rate" -> rate = Integer.parseInt(option[1]);
                case "--rounds" -> pairs = Integer.parseInt(option[1]);
                default -> {
                    System.out.println("emporium bench --balancer: unknown option " + arg + " (--rate=N requests/s, --rounds=N pairs)");
                    return 2;
                }
            }
        }
        return new BalancerExperiment(rate, pairs).execute();
    }

    private int execute() {
        List<Round> rounds = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            List<String> order = pair % 2 == 0 ? List.of("round-robin", "least-loaded") : List.of("least-loaded", "round-robin");
            for (String balancer : order) {
                Optional<Round> round = round(balancer);
                if (round.isEmpty()) {
                    return 1;
                }
                rounds.add(round.get());
                System.out.println("emporium bench --balancer: " + describe(round.get()));
            }
        }
        String report = report(rounds);
        System.out.println(report);
        Path results = Path.of(Optional.ofNullable(System.getenv("EMPORIUM_BENCH_RESULTS")).orElse(Settings.fromEnvironment().root()
            .resolve(".emporium/benchmark/balancer-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toString()));
        try {
            Files.createDirectories(results);
            Files.writeString(results.resolve("report.md"), report);
            System.out.println("emporium bench --balancer: report in " + results.resolve("report.md"));
        }
        catch (IOException e) {
            System.out.println("emporium bench --balancer: could not write the report: " + e.getMessage());
        }
        return 0;
    }

    private Optional<Round> round(String balancer) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("EMPORIUM_AOT", "off"); // every round starts alike, none trains caches for the next
        Settings settings = Settings.ownPlatform(environment, "EMPORIUM_BENCH_HOME", ".emporium/bench-balancer", BenchmarkRun.PORT_OFFSET)
            .withLayout(2, 1);
        Map<String, String> services = new HashMap<>(Platform.GATEWAY_LIMITS_LIFTED);
        services.put("EMPORIUM_BALANCER", balancer);
        services.put("EMPORIUM_TRACE_SAMPLING", BenchmarkRun.PRODUCTION_TRACE_SAMPLING);
        Platform platform = new Platform(settings, services);
        System.out.println("emporium bench --balancer: starting a platform with two instances of each service, balancer " + balancer);
        if (!platform.start()) {
            return Optional.empty();
        }
        try {
            load(platform, WARM_UP, false);
            Map<String, Long> before = answered(platform);
            Round measured = load(platform, MEASURED, true);
            Map<String, Long> after = answered(platform);
            Map<String, Long> answeredBy = new HashMap<>();
            after.forEach((instance, count) -> answeredBy.put(instance, count - before.getOrDefault(instance, 0L)));
            return Optional.of(new Round(balancer, measured.sent(), measured.failed(), measured.medianMs(), measured.p99Ms(), answeredBy));
        }
        finally {
            platform.shutdown();
        }
    }

    /** {@code rate} requests a second for {@code duration}; with {@code stalls}, the slow instance stopped in bursts meanwhile. */
    private Round load(Platform platform, Duration duration, boolean stalls) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stall = Thread.ofPlatform().name("balancer-stalls").start(() -> {
            while (stalls && running.get()) {
                platform.suspend(SLOW);
                pause(STALL);
                platform.resume(SLOW);
                pause(STALL_PERIOD.minus(STALL));
            }
        });
        int total = (int) (rate * duration.toSeconds());
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    pause(Duration.ofNanos(wait));
                }
                requests.submit(() -> {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + PATH))
                            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                    }
                    catch (IOException e) {
                        failed.incrementAndGet();
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    latencies.add(System.nanoTime() - sent);
                });
            }
        }
        finally {
            running.set(false);
            join(stall);
            platform.resume(SLOW);
        }
        List<Long> sorted = latencies.stream().sorted().toList();
        return new Round("", total, failed.get(), millis(percentile(sorted, 0.5)), millis(percentile(sorted, 0.99)), Map.of());
    }

    /** How many {@code GET /api/products} each inventory instance has answered, by its own metrics. */
    private static Map<String, Long> answered(Platform platform) {
        Map<String, Long> counts = new HashMap<>();
        for (String instance : platform.instancesOf("inventory-service")) {
            String scrape = Http.get(platform.managementUrlOfInstance(instance) + "/actuator/prometheus", "text/plain").body();
            Matcher line = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"" + Pattern.quote(PATH) + "\"[^}]*} ([0-9.E]+)$")
                .matcher(scrape);
            long count = 0;
            while (line.find()) {
                count += (long) Double.parseDouble(line.group(1));
            }
            counts.put(instance, count);
        }
        return counts;
    }

    private String report(List<Round> rounds) {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "# Balancers with one slow instance%n%n"
                + "GET %s at %d/s for %d s per round, after %d s of warm-up; %s stopped (SIGSTOP) for %d ms of every %d ms."
                + " Rounds in the order run.%n%n| round | balancer | requests | failed | median ms | p99 ms | answered by inventory-service |"
                + " answered by %s |%n|---:|---|---:|---:|---:|---:|---:|---:|%n", PATH, rate, MEASURED.toSeconds(), WARM_UP.toSeconds(),
                SLOW, STALL.toMillis(), STALL_PERIOD.toMillis(), SLOW));
        for (int i = 0; i < rounds.size(); i++) {
            Round round = rounds.get(i);
            report.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.1f | %.1f | %s | %s |%n", i + 1, round.balancer(), round.sent(),
                    round.failed(), round.medianMs(), round.p99Ms(), round.share("inventory-service"), round.share(SLOW)));
        }
        return report.toString();
    }

    private static String describe(Round round) {
        return String.format(Locale.ROOT, "%s: %d requests, %d failed, median %.1f ms, p99 %.1f ms, inventory-service %s, %s %s",
                round.balancer(), round.sent(), round.failed(), round.medianMs(), round.p99Ms(), round.share("inventory-service"), SLOW,
                round.share(SLOW));
    }

    private static long percentile(List<Long> sorted, double quantile) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static double millis(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(6).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
