package dev.emporium.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.emporium.localpostgres.ServiceDatabase;

/**
 * Starts the platform in dependency order, waits until the gateway routes to every service, prints
 * where everything is, and stops it all, the services before what they use ({@link Processes#stopAll}),
 * when the JVM is asked to exit (Ctrl-C, SIGTERM, {@code ./emporium down}).
 * <p>
 * Longer than the project's 300 lines on purpose: it is the start-up sequence in the order it happens,
 * and the one handle that the chaos run, the benchmark and the system tests hold (addresses,
 * credentials, faults to inject). What has a job of its own is a class of its own: {@link Processes},
 * {@link PlatformKafka}, {@link ServiceEnvironment}, {@link Preflight}, {@link ReadyTable}, {@link AotCache}.
 */
public final class Platform {

    public record Service(String name, int port, int managementPort, String database) {
    }

    public static final Service DISCOVERY = new Service("discovery", 8761, 9761, null);

    /** The registry's user; its password is generated once, in {@code <home>/eureka-password}. */
    public static final String REGISTRY_USER = "emporium";

    /** Started together once the registry answers; the gateway last in the list, stopped first. */
    public static final List<Service> SERVICES = List.of(
            new Service("user-service", 8081, 9081, "users"),
            new Service("inventory-service", 8082, 9082, "inventory"),
            new Service("order-service", 8083, 9083, "orders"),
            new Service("gateway", 8080, 9080, null));

    /**
     * For the chaos and benchmark runs, whose load comes from one address and a few shoppers: the
     * gateway's rate limits (per address, per user, logins) out of the way.
     */
    public static final Map<String, String> GATEWAY_LIMITS_LIFTED = Map.of(
            "EMPORIUM_RATE_LIMIT_PER_ADDRESS", "1000000",
            "EMPORIUM_RATE_LIMIT_PER_USER", "1000000",
            "EMPORIUM_GATEWAY_RATELIMITS_LOGIN_CAPACITY", "1000000",
            "EMPORIUM_GATEWAY_RATELIMITS_LOGIN_PERPERIOD", "1000000",
            "EMPORIUM_RATE_LIMIT_REGISTRATIONS", "1000000");

    public static final int POSTGRES_PORT = 5432;
    public static final int KAFKA_PORT = 9092;
    public static final int KAFKA_CONTROLLER_PORT = 9093;
    public static final int TRACE_COLLECTOR_PORT = 4318;
    public static final int TRACES_KEPT = 500;
    public static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    /** The launcher as a program: the broker and the reaper run from it, whichever runner started the platform. */
    private static final String LAUNCHER_JAR = "tools/launcher/target/launcher-exec.jar";

    private final Settings settings;
    private final Priority priority;
    private final Map<String, String> extraEnvironment;
    private final PidFile pids;
    private final Processes processes;
    private final PlatformKafka kafka;
    private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private LocalPostgres postgres;
    private AdminPassword admin;
    private TraceCollector traces;
    private volatile boolean training;

    public Platform(Settings settings) {
        this(settings, Map.of());
    }

    /** @param extraEnvironment added to every service's environment (the chaos runner's settings) */
    public Platform(Settings settings, Map<String, String> extraEnvironment) {
        this.settings = settings;
        this.priority = new Priority(settings.nice());
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        this.pids = new PidFile(settings.home());
        this.processes = new Processes(settings, priority, pids);
        this.kafka = new PlatformKafka(settings);
    }

    /** The registry and every service, in the order they start. */
    static Stream<Service> everyService() {
        return Stream.concat(Stream.of(DISCOVERY), SERVICES.stream());
    }

    /**
     * Every process of a platform with this many replicas, in the order they start: the registry's
     * instances (peers that replicate each other), then each service's; one gateway, the door.
     */
    static Stream<Instance> everyInstance(int replicas) {
        return everyService().flatMap(service -> Instance.of(service, service.name().equals("gateway") ? 1 : replicas).stream());
    }

    public int up() {
        if (!start()) {
            return 1;
        }
        watchUntilStopped();
        return 0;
    }

    /**
     * Starts everything and waits until the gateway routes to every service; Ctrl-C, SIGTERM or a
     * SIGKILL of this JVM (the reaper) stops it all.
     *
     * @return whether the platform is ready (if not, the reason has been printed)
     */
    public boolean start() {
        try {
            Preflight.check(settings);
        }
        catch (IllegalStateException e) {
            System.out.println("emporium: " + e.getMessage());
            return false;
        }
        prepareAotCaches();
        admin = AdminPassword.of(settings);
        pids.reset();
        pids.record("launcher", ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "emporium-shutdown"));
        startReaper();
        try {
            startTraceCollector();
            List<Instance> instances = everyInstance(settings.replicas()).toList();
            instances.stream().filter(instance -> instance.service().equals(DISCOVERY)).forEach(this::startInstance);
            postgres = startPostgres();
            String bootstrap = startKafka();
            waitUntil("the Eureka registry answers", () -> eureka("/eureka/apps").status() == 200);
            instances.stream().filter(instance -> !instance.service().equals(DISCOVERY)).forEach(this::startInstance);
            waitUntil("every service is registered in Eureka", this::allRegistered);
            GatewayReadiness gatewayReadiness = new GatewayReadiness("http://localhost:" + settings.port(8080), settings.adminEmail(),
                    admin.value());
            waitUntil("the gateway routes to every service", gatewayReadiness::routesToAll);
            printReady(instances, bootstrap);
            return true;
        }
        catch (StartupFailure e) {
            System.out.println("emporium: " + e.getMessage());
            return false;
        }
    }

    /**
     * A shell that outlives a launcher killed with SIGKILL (which runs no shutdown hook) and then runs
     * {@code down} for it, so no service is left orphaned.
     */
    private void startReaper() {
        long launcher = ProcessHandle.current().pid();
        String down = quote(javaCommand) + " -Demporium.process=reaper -jar " + quote(settings.root().resolve(LAUNCHER_JAR).toString())
                + " down --if-launcher " + launcher;
        String script = "while kill -0 " + launcher + " 2>/dev/null; do sleep 1; done; exec " + down;
        ManagedProcess.start("reaper", List.of("/bin/sh", "-c", script), launcherEnvironment(), settings.logs().resolve("reaper.log"));
    }

    /** The launcher's own OTLP receiver, unless the traces go to a Jaeger named by EMPORIUM_OTLP_ENDPOINT. */
    private void startTraceCollector() {
        if (settings.otlpEndpoint().isPresent()) {
            return;
        }
        try {
            traces = TraceCollector.start(settings.port(TRACE_COLLECTOR_PORT), TRACES_KEPT);
        }
        catch (IOException e) {
            throw new StartupFailure("could not open the trace collector on port " + settings.port(TRACE_COLLECTOR_PORT) + ": "
                    + e.getMessage() + ". Point the services at another OTLP endpoint with EMPORIUM_OTLP_ENDPOINT.");
        }
    }

    /**
     * Where the storefront's order page links an order's trace: the launcher's own trace view, or the
     * search of the Jaeger UI (port 16686) on the host that EMPORIUM_OTLP_ENDPOINT names.
     */
    public String traceLink() {
        if (traces != null) {
            return "http://localhost:" + traces.port() + "/traces?order.id={orderId}";
        }
        java.net.URI endpoint = java.net.URI.create(otlpEndpoint());
        return endpoint.getScheme() + "://" + endpoint.getHost() + ":16686/search?service=order-service&tags=%7B%22order.id%22%3A%22{orderId}%22%7D";
    }

    /** Where the services send their traces. */
    public String otlpEndpoint() {
        return settings.otlpEndpoint().orElse("http://localhost:" + settings.port(TRACE_COLLECTOR_PORT) + "/v1/traces");
    }

    private LocalPostgres startPostgres() {
        LocalPostgres started = settings.externalDatabase()
            .map(LocalPostgres::external)
            .orElseGet(() -> LocalPostgres.embedded(settings.home().resolve("postgres"), settings.port(POSTGRES_PORT),
                    settings.logs().resolve("postgres.log"), LocalSecret.postgresPassword(settings, "postgres").value()));
        recordPostgres(started);
        started.provision(SERVICES.stream().map(Service::database).filter(Objects::nonNull).map(database -> ServiceEnvironment.database(settings, database)).toList());
        return started;
    }

    private String startKafka() {
        if (!kafka.embedded()) {
            waitUntil("Kafka at " + kafka.bootstrap() + " answers", kafka::answers);
            return kafka.bootstrap();
        }
        for (PlatformKafka.Broker broker : kafka.brokers()) {
            processes.launch(broker.name(), kafka.command(broker, javaCommand, settings.root().resolve(LAUNCHER_JAR).toString()),
                    launcherEnvironment());
        }
        waitUntil("Kafka at " + kafka.bootstrap() + " answers" + (kafka.brokers().size() > 1 ? " with every broker" : ""), kafka::answers);
        try {
            kafka.grantTheServicesTheirTopics();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("interrupted while giving the services their Kafka credentials");
        }
        return kafka.bootstrap();
    }

    /**
     * What a Kafka client of the launcher needs: the bootstrap servers and, for the embedded broker,
     * the administrator's login. Your own broker (EMPORIUM_KAFKA_BOOTSTRAP_SERVERS) is reached as it is.
     */
    public Map<String, Object> kafkaClientProperties() {
        return kafka.clientProperties();
    }

    private ManagedProcess startInstance(Instance instance) {
        Service service = instance.service();
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(settings.javaOptionsOf(service.name()));
        Path jar = settings.jar(service.name());
        if (settings.aotCache()) {
            // made by prepareAotCaches(); one it could not make is still ASSEMBLE, and the process runs without.
            // The first instance records a missing cache; the others use it once it exists (two JVMs
            // recording into one file would spoil it).
            AotCache aot = AotCache.of(javaCommand, jar, AotCache.directory(settings, service.name()));
            if (instance.number() == 1 || !aot.training()) {
                training |= aot.training();
                command.addAll(aot.jvmOptions());
            }
            jar = aot.jar();
        }
        command.addAll(List.of("-Demporium.process=" + instance.name(), "-jar", jar.toString()));
        return processes.launch(instance.name(), command, serviceEnvironment(instance));
    }

    /**
     * Makes the AOT caches that the last run recorded, every process's at once, before anything starts
     * (see {@link AotCache}): once after each build, and outside the time to "ready" that the benchmark
     * measures when it calls this itself.
     */
    public void prepareAotCaches() {
        if (settings.aotCache()) {
            AotCache.assembleRecorded(settings, javaCommand, everyService().map(Service::name).toList());
        }
    }

    /** Whether a process runs without an AOT cache and records one when it stops. */
    public boolean trainsAotCaches() {
        return training;
    }

    /**
     * A command to run at the services' CPU priority: the benchmark's load generator and pgbench. They
     * stand for shoppers and services on other machines, and must not take the CPU from the shop first.
     */
    public List<String> atTheServicesPriority(List<String> command) {
        return priority.lowered(command);
    }

    private Map<String, String> serviceEnvironment(Instance instance) {
        return new ServiceEnvironment(settings, kafka, otlpEndpoint(), traceLink(), extraEnvironment).of(instance, admin, postgres);
    }

    private Map<String, String> launcherEnvironment() {
        return Map.of("EMPORIUM_HOME", settings.home().toString(), "EMPORIUM_ROOT", settings.root().toString());
    }

    // What the chaos runner does to a running platform.

    /** SIGKILL: no shutdown hook, no graceful anything, as when a node dies. */
    public void kill(String name) {
        processes.kill(name);
    }

    /** Starts a process again the way it was first started (after {@link #kill} or a stop). */
    public void restart(String name) {
        processes.restart(name);
    }

    /** SIGSTOP: the process holds its sockets and locks but answers nothing, like a long GC pause. */
    public void suspend(String name) {
        processes.signal(name, "STOP");
    }

    /** SIGCONT after {@link #suspend}. */
    public void resume(String name) {
        processes.signal(name, "CONT");
    }

    /** A graceful broker restart (SIGTERM, then the same command again), waiting until it answers. */
    public void restartKafka() {
        processes.find("kafka").stop(Duration.ofSeconds(30));
        processes.restart("kafka");
        waitUntil("Kafka answers again", kafka::answers);
    }

    /** The embedded brokers' process names ({@code kafka}, {@code kafka-2}, ...), for {@link #kill} and {@link #restart}. */
    public List<String> kafkaBrokers() {
        return kafka.brokers().stream().map(PlatformKafka.Broker::name).toList();
    }

    /** Waits until every embedded broker is back in the cluster (after a {@link #restart} of one). */
    public void awaitKafka() {
        waitUntil("every Kafka broker answers again", kafka::answers);
    }

    /** The instances of a service or of the registry, by process name: {@code order-service}, {@code order-service-2}, ... */
    public List<String> instancesOf(String service) {
        return everyInstance(settings.replicas()).filter(instance -> instance.service().name().equals(service)).map(Instance::name).toList();
    }

    public int replicas() {
        return settings.replicas();
    }

    /** The embedded PostgreSQL stopped with a fast shutdown (connections cut) and started on the same data. */
    public void restartPostgres() {
        if (settings.externalDatabase().isPresent()) {
            throw new IllegalStateException("the chaos runner restarts only the embedded PostgreSQL");
        }
        postgres.close();
        postgres = LocalPostgres.embedded(settings.home().resolve("postgres"), settings.port(POSTGRES_PORT),
                settings.logs().resolve("postgres.log"), LocalSecret.postgresPassword(settings, "postgres").value());
        recordPostgres(postgres);
    }

    /** The postmaster's PID for {@code down} and the CPU figures, and its priority lowered ({@link Priority}). */
    private void recordPostgres(LocalPostgres started) {
        started.postmasterPid().ifPresent(pid -> {
            pids.record("postgres", pid);
            priority.lower("PostgreSQL", pid);
        });
    }

    public boolean isAlive(String name) {
        return processes.find(name).isAlive();
    }

    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /**
     * The role that owns a service's database, and its password: what the chaos audit and the benchmark
     * read and write with too. The superuser only creates the databases and their roles.
     */
    public ServiceDatabase database(String database) {
        return ServiceEnvironment.database(settings, database);
    }

    public String gatewayUrl() {
        return "http://localhost:" + settings.port(8080);
    }

    public String managementUrl(String service) {
        return everyService()
            .filter(candidate -> candidate.name().equals(service))
            .map(candidate -> "http://localhost:" + settings.port(candidate.managementPort()))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("no service " + service));
    }

    /** The actuator of one instance, by process name ({@code inventory-service-2}). */
    public String managementUrlOfInstance(String name) {
        return everyInstance(settings.replicas()).filter(instance -> instance.name().equals(name))
            .map(instance -> "http://localhost:" + settings.port(instance.managementPort()))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("no instance " + name));
    }

    public String adminEmail() {
        return settings.adminEmail();
    }

    public String adminPassword() {
        return admin.value();
    }

    /** The PID of every process the platform runs (PostgreSQL: its postmaster), for the benchmark's CPU figures. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = processes.pids();
        if (postgres != null) {
            postgres.postmasterPid().ifPresent(pid -> pids.put("postgres", pid));
        }
        return pids;
    }

    /** Resident memory of every process now (PostgreSQL: PSS of the postmaster and its backends). */
    public Map<String, Long> residentKib() {
        Map<String, Long> memory = processes.residentKib();
        if (postgres != null) {
            memory.put("postgres", postgres.proportionalKib());
        }
        return memory;
    }

    public int port(Service service) {
        return settings.port(service.port());
    }

    public int postgresPort() {
        return settings.port(POSTGRES_PORT);
    }

    public static Service service(String name) {
        return SERVICES.stream().filter(service -> service.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** Stops everything now (what Ctrl-C does), for a runner that is done with the platform. */
    public void shutdown() {
        stop();
    }

    private Http.Response eureka(String path) {
        return eureka(new Instance(DISCOVERY, 1), path);
    }

    private Http.Response eureka(Instance registry, String path) {
        return Http.getAs("http://localhost:" + settings.port(registry.port()) + path, "application/json", REGISTRY_USER,
                LocalSecret.registryPassword(settings).value());
    }

    /** Every instance of every service is registered, in every registry (peers replicate each other). */
    private boolean allRegistered() {
        return Instance.of(DISCOVERY, settings.replicas()).stream().allMatch(registry -> {
            String apps = eureka(registry, "/eureka/apps").body();
            return SERVICES.stream().allMatch(service -> instancesIn(apps, service) >= (service.name().equals("gateway") ? 1 : settings.replicas()));
        });
    }

    /** How many instances of a service a registry's {@code /eureka/apps} lists. */
    static long instancesIn(String apps, Service service) {
        return java.util.regex.Pattern.compile("\"app\"\\s*:\\s*\"" + service.name().toUpperCase() + "\"").matcher(apps).results().count();
    }

    /** Polls {@code condition} until it holds; fails early, naming the process, if a child has died. */
    private void waitUntil(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        System.out.println("emporium: waiting until " + what);
        while (!condition.get()) {
            if (stopping.get()) {
                throw new StartupFailure("stopped before the platform was ready");
            }
            processes.dead().ifPresent(process -> {
                throw new StartupFailure(process.name() + " " + process.exitDescription() + " while waiting until " + what
                        + ". Last lines of " + process.log() + ":\n" + process.lastLines(30));
            });
            if (Instant.now().isAfter(deadline)) {
                throw new StartupFailure("gave up after " + STARTUP_TIMEOUT.toMinutes() + " min waiting until " + what
                        + ". The logs are in " + settings.logs());
            }
            pause(Duration.ofMillis(500));
        }
    }

    private void printReady(List<Instance> instances, String bootstrap) {
        String gateway = gatewayUrl();
        ReadyTable table = new ReadyTable(Duration.between(settings.startedAt(), Instant.now()))
            .line("shop", gateway + "/ (storefront, saga console, administration)")
            .process("gateway", gateway + "/api/products", processes.find("gateway"));
        for (Instance instance : instances) {
            if (instance.service().equals(DISCOVERY)) {
                table.process(instance.name(), "http://localhost:" + settings.port(instance.port()) + "/", processes.find(instance.name()));
            }
            else if (!instance.service().name().equals("gateway")) {
                table.process(instance.name(), "http://localhost:" + settings.port(instance.port()) + " (actuator :"
                        + settings.port(instance.managementPort()) + ")", processes.find(instance.name()));
            }
        }
        table.postgres(postgres.jdbcUrl("<service db>"), postgres.proportionalKib(), settings.logs().resolve("postgres.log"));
        if (kafka.embedded()) {
            for (PlatformKafka.Broker broker : kafka.brokers()) {
                table.process(broker.name(), "localhost:" + broker.port(), processes.find(broker.name()));
            }
        }
        else {
            table.line("kafka", bootstrap);
        }
        table.line("traces", traces == null ? otlpEndpoint() : "http://localhost:" + traces.port() + "/traces (in the launcher)");
        table.print(admin.describe(settings.adminEmail()), gateway);
    }

    /** Until asked to stop, tells about any process that dies, with where to look. */
    private void watchUntilStopped() {
        List<ManagedProcess> reported = new ArrayList<>();
        try {
            while (!stopped.await(2, TimeUnit.SECONDS)) {
                if (!stopping.get()) {
                    processes.reportDeaths(reported);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The gateway and the services, then the registry and Kafka ({@link Processes#stopAll}), then PostgreSQL. */
    private void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        System.out.println("emporium: stopping" + (training ? " (the JVMs record what they loaded: the next start makes AOT caches from it)" : ""));
        processes.stopAll(Duration.ofSeconds(training ? 60 : 30));
        if (postgres != null) {
            postgres.close();
        }
        if (traces != null) {
            traces.close();
        }
        System.out.println("emporium: stopped");
        stopped.countDown();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("interrupted");
        }
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    public static final class StartupFailure extends RuntimeException {

        StartupFailure(String message) {
            super(message);
        }
    }
}
