package dev.emporium.benchmark;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.emporium.launcher.ManagedProcess;
import dev.emporium.launcher.Platform;
import dev.emporium.launcher.Settings;

/**
 * The gateway against its yardsticks, one GET of inventory-service through each in alternating rounds
 * ({@code GatewayOverhead}): the gateway, Spring Cloud Gateway alone ({@link BareGateway}), nginx
 * ({@link Nginx}), and the service itself. Each round a fixed rate (latency) and a closed loop
 * (throughput and CPU per request).
 */
final class GatewayComparison {

    /**
     * Rounds of the gateway comparison run first and not counted: the GET's path through each target is
     * compiled by then. On targets just started, the first rounds are slower and dearer than the rest
     * while the JIT compiles each path.
     */
    static final int GATEWAY_WARMUP_ROUNDS = 3;

    private final Options options;
    private final Platform platform;
    private final Settings settings;
    private final Path results;
    private final ProcessCpu cpu;
    /** The yardsticks while they run, for the CPU figures. */
    private final Map<String, Long> yardsticks;
    private final Gatling gatling;

    GatewayComparison(Options options, Platform platform, Settings settings, Path results, ProcessCpu cpu, Map<String, Long> yardsticks,
            Gatling gatling) {
        this.options = options;
        this.platform = platform;
        this.settings = settings;
        this.results = results;
        this.cpu = cpu;
        this.yardsticks = yardsticks;
        this.gatling = gatling;
    }

    List<Proxy> run() {
        int direct = platform.port(Platform.service("inventory-service"));
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("gateway", platform.gatewayUrl());
        // the framework alone, traced as the gateway is: what the gateway costs beyond it is its own work
        Optional<ManagedProcess> bare = BareGateway.start(settings, results.resolve("bare-gateway"), settings.port(8091), settings.port(9091), direct,
                Map.of("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", platform.otlpEndpoint(),
                        "EMPORIUM_TRACE_SAMPLING", BenchmarkRun.traceSampling(System.getenv())));
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
            gatling.run("dev.emporium.benchmark.load.GatewayOverhead", "gateway", Map.of(
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
                p50s.add(Figures.percentile(latencies, 50));
                p99s.add(Figures.percentile(latencies, 99));
                long first = closed.stream().mapToLong(Sample::startMs).min().orElse(0);
                long end = closed.stream().mapToLong(s -> s.startMs() + s.latencyMs()).max().orElse(first);
                throughputs.add(closed.stream().filter(Sample::ok).count() / Math.max(0.001, (end - first) / 1000.0));
                // CPU per request over the middle of the closed loop (its start and end are ramps)
                ProcessCpu.Window window = cpu.window(Instant.ofEpochMilli(first + (end - first) / 10),
                        Instant.ofEpochMilli(end - (end - first) / 10));
                long requests = closed.stream().filter(s -> !Instant.ofEpochMilli(s.startMs()).isBefore(window.from())
                        && Instant.ofEpochMilli(s.startMs()).isBefore(window.to())).count();
                proxyCpu.add(target.equals("direct") ? Double.NaN : Figures.msPerRequest(window.seconds().get(target), requests));
                serviceCpu.add(Figures.msPerRequest(window.seconds().get("inventory-service"), requests));
            }
            proxies.add(new Proxy(target, throughputs, Figures.median(p50s), Figures.median(p99s), failures, Figures.medianOrNaN(proxyCpu),
                    Figures.medianOrNaN(serviceCpu)));
        }
        return proxies;
    }
}
