package dev.emporium.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

import dev.emporium.localkafka.KafkaAccess;
import dev.emporium.localkafka.KafkaBroker;
import dev.emporium.localkafka.KafkaLogin;
import dev.emporium.localpostgres.ServiceDatabase;

/**
 * Starts the platform in dependency order, waits until the gateway routes to every service, prints
 * where everything is, and stops it all, newest first, when the JVM is asked to exit (Ctrl-C,
 * SIGTERM, {@code ./emporium down}).
 */
final class Platform {

    record Service(String name, int port, int managementPort, String database) {
    }

    static final Service DISCOVERY = new Service("discovery", 8761, 9761, null);

    /** The registry's user; its password is generated once, in {@code <home>/eureka-password}. */
    static final String REGISTRY_USER = "emporium";

    /** Started together once the registry answers; the gateway last in the list, stopped first. */
    static final List<Service> SERVICES = List.of(
            new Service("user-service", 8081, 9081, "users"),
            new Service("inventory-service", 8082, 9082, "inventory"),
            new Service("order-service", 8083, 9083, "orders"),
            new Service("gateway", 8080, 9080, null));

    /**
     * For the chaos and benchmark runs, whose load comes from one address and a few shoppers: the
     * gateway's rate limits (per address, per user, logins) out of the way.
     */
    static final Map<String, String> GATEWAY_LIMITS_LIFTED = Map.of(
            "EMPORIUM_RATE_LIMIT_PER_ADDRESS", "1000000",
            "EMPORIUM_RATE_LIMIT_PER_USER", "1000000",
            "EMPORIUM_GATEWAY_RATELIMITS_LOGIN_CAPACITY", "1000000",
            "EMPORIUM_GATEWAY_RATELIMITS_LOGIN_PERPERIOD", "1000000",
            "EMPORIUM_RATE_LIMIT_REGISTRATIONS", "1000000");

    static final int POSTGRES_PORT = 5432;
    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int TRACE_COLLECTOR_PORT = 4318;
    static final int TRACES_KEPT = 500;
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    private static final String LAUNCHER_MODULE = "libs/launcher";

    private final Settings settings;
    private final Priority priority;
    private final Map<String, String> extraEnvironment;
    private final PidFile pids;
    private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
    private final List<ManagedProcess> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How each child was started, so the chaos runner can start it again after killing it. */
    private final Map<String, Launch> launches = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private LocalPostgres postgres;
    private AdminPassword admin;
    private TraceCollector traces;
    private volatile boolean training;

    private record Launch(List<String> command, Map<String, String> environment) {
    }

    Platform(Settings settings) {
        this(settings, Map.of());
    }

    /** @param extraEnvironment added to every service's environment (the chaos runner's settings) */
    Platform(Settings settings, Map<String, String> extraEnvironment) {
        this.settings = settings;
        this.priority = new Priority(settings.nice());
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        this.pids = new PidFile(settings.home());
    }

    int up() {
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
    boolean start() {
        try {
            checkJarsExist();
            checkPortsFree();
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
            ManagedProcess discovery = startService(DISCOVERY);
            postgres = startPostgres();
            String kafka = startKafka();
            waitUntil("the Eureka registry answers", () -> eureka("/eureka/apps").status() == 200);
            for (Service service : SERVICES) {
                startService(service);
            }
            waitUntil("every service is registered in Eureka", this::allRegistered);
            GatewayReadiness gatewayReadiness = new GatewayReadiness("http://localhost:" + settings.port(8080), settings.adminEmail(),
                    admin.value());
            waitUntil("the gateway routes to every service", gatewayReadiness::routesToAll);
            printReady(discovery, kafka);
            return true;
        }
        catch (StartupFailure e) {
            System.out.println("emporium: " + e.getMessage());
            return false;
        }
    }

    private void checkJarsExist() {
        List<String> missing = Stream.concat(Stream.of(DISCOVERY), SERVICES.stream())
            .map(service -> settings.jar(service.name()))
            .filter(jar -> !Files.exists(jar))
            .map(Path::toString)
            .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not built yet: " + missing + ". Run ./emporium up (it builds what is missing)"
                    + " or ./mvnw -DskipTests package.");
        }
    }

    private void checkPortsFree() {
        List<Integer> wanted = new ArrayList<>();
        Stream.concat(Stream.of(DISCOVERY), SERVICES.stream()).forEach(service -> {
            wanted.add(settings.port(service.port()));
            wanted.add(settings.port(service.managementPort()));
        });
        if (settings.externalDatabase().isEmpty()) {
            wanted.add(settings.port(POSTGRES_PORT));
        }
        if (settings.otlpEndpoint().isEmpty()) {
            wanted.add(settings.port(TRACE_COLLECTOR_PORT));
        }
        if (settings.externalKafka().isEmpty()) {
            wanted.add(settings.port(KAFKA_PORT));
            wanted.add(settings.port(KAFKA_CONTROLLER_PORT));
        }
        List<Integer> busy = wanted.stream().filter(port -> !isFree(port)).toList();
        if (!busy.isEmpty()) {
            throw new IllegalStateException("these ports are already in use: " + busy + ". Is Emporium already running?"
                    + " Stop it with ./emporium down, or run a second one with EMPORIUM_PORT_OFFSET=100.");
        }
    }

    /**
     * Whether a server could listen on the port now. SO_REUSEADDR is set before binding, as the
     * services' servers do: a connection that just closed (TIME_WAIT) does not keep them off a port.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    /**
     * A shell that outlives a launcher killed with SIGKILL (which runs no shutdown hook) and then runs
     * {@code down} for it, so no service is left orphaned.
     */
    private void startReaper() {
        long launcher = ProcessHandle.current().pid();
        String down = quote(javaCommand) + " -Demporium.process=reaper -jar " + quote(settings.jar(LAUNCHER_MODULE).toString())
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
    String traceLink() {
        if (traces != null) {
            return "http://localhost:" + traces.port() + "/traces?order.id={orderId}";
        }
        java.net.URI endpoint = java.net.URI.create(otlpEndpoint());
        return endpoint.getScheme() + "://" + endpoint.getHost() + ":16686/search?service=order-service&tags=%7B%22order.id%22%3A%22{orderId}%22%7D";
    }

    /** Where the services send their traces. */
    String otlpEndpoint() {
        return settings.otlpEndpoint().orElse("http://localhost:" + settings.port(TRACE_COLLECTOR_PORT) + "/v1/traces");
    }

    private LocalPostgres startPostgres() {
        LocalPostgres started = settings.externalDatabase()
            .map(LocalPostgres::external)
            .orElseGet(() -> LocalPostgres.embedded(settings.home().resolve("postgres"), settings.port(POSTGRES_PORT),
                    settings.logs().resolve("postgres.log"), LocalSecret.postgresPassword(settings, "postgres").value()));
        recordPostgres(started);
        started.provision(SERVICES.stream().map(Service::database).filter(Objects::nonNull).map(this::serviceDatabase).toList());
        return started;
    }

    /** A service's database, owned by a role of its own whose password is kept in the data folder. */
    private ServiceDatabase serviceDatabase(String database) {
        String role = ServiceDatabase.roleOf(database);
        return new ServiceDatabase(database, role, LocalSecret.postgresPassword(settings, role).value());
    }

    private String startKafka() {
        if (settings.externalKafka().isPresent()) {
            String external = settings.externalKafka().get();
            waitUntil("Kafka at " + external + " answers", () -> KafkaBroker.answers(external));
            return external;
        }
        String bootstrap = "localhost:" + settings.port(KAFKA_PORT);
        List<String> command = new ArrayList<>(List.of(javaCommand, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Demporium.process=kafka", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-jar",
                settings.jar(LAUNCHER_MODULE).toString(), "kafka", settings.home().resolve("kafka").toString(),
                Integer.toString(settings.port(KAFKA_PORT)), Integer.toString(settings.port(KAFKA_CONTROLLER_PORT))));
        command.add(LocalSecret.kafkaPassword(settings, KafkaLogin.ADMIN).file().toString());
        launch("kafka", command, launcherEnvironment());
        waitUntil("Kafka at " + bootstrap + " answers", () -> KafkaBroker.answers(bootstrap, kafkaAdmin()));
        try (Admin admin = Admin.create(kafkaClientProperties())) {
            KafkaAccess.apply(admin, KafkaAccess.SERVICES.stream().collect(java.util.stream.Collectors.toMap(KafkaAccess.Service::name,
                    service -> LocalSecret.kafkaPassword(settings, service.name()).value())));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("interrupted while giving the services their Kafka credentials");
        }
        return bootstrap;
    }

    /** The broker's super user: the launcher itself (the chaos run's injections, the audit). */
    private KafkaLogin kafkaAdmin() {
        return KafkaLogin.admin(LocalSecret.kafkaPassword(settings, KafkaLogin.ADMIN).value());
    }

    /**
     * What a Kafka client of the launcher needs: the bootstrap servers and, for the embedded broker,
     * the administrator's login. Your own broker (EMPORIUM_KAFKA_BOOTSTRAP_SERVERS) is reached as it is.
     */
    Map<String, Object> kafkaClientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", kafkaBootstrap());
        if (settings.externalKafka().isEmpty()) {
            properties.putAll(kafkaAdmin().clientProperties());
        }
        return properties;
    }

    private ManagedProcess startService(Service service) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(settings.javaOptionsOf(service.name()));
        Path jar = settings.jar(service.name());
        if (settings.aotCache()) {
            // made by prepareAotCaches(); one it could not make is still ASSEMBLE, and the process runs without
            AotCache aot = AotCache.of(javaCommand, jar, aotDirectory(service));
            training |= aot.training();
            command.addAll(aot.jvmOptions());
            jar = aot.jar();
        }
        command.addAll(List.of("-Demporium.process=" + service.name(), "-jar", jar.toString()));
        return launch(service.name(), command, serviceEnvironment(service));
    }

    /**
     * Makes the AOT caches that the last run recorded, every process's at once, before anything starts
     * (see {@link AotCache}): once after each build, and outside the time to "ready" that the benchmark
     * measures when it calls this itself.
     */
    void prepareAotCaches() {
        if (!settings.aotCache()) {
            return;
        }
        Map<Service, AotCache> recorded = new LinkedHashMap<>();
        Stream.concat(Stream.of(DISCOVERY), SERVICES.stream()).forEach(service -> {
            AotCache aot = AotCache.of(javaCommand, settings.jar(service.name()), aotDirectory(service));
            if (aot.state() == AotCache.State.ASSEMBLE) {
                recorded.put(service, aot);
            }
        });
        if (recorded.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        System.out.println("emporium: making the AOT caches that the last run recorded (" + recorded.size()
                + " processes, once after a build)");
        // closing the executor waits for every one
        try (ExecutorService making = Executors.newVirtualThreadPerTaskExecutor()) {
            recorded.forEach((service, aot) -> making.submit(() -> aot.assemble(javaCommand, settings.javaOptionsOf(service.name()))));
        }
        System.out.printf(java.util.Locale.ROOT, "emporium: AOT caches made in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Each platform's own AOT files, in its data folder (a test's platform never writes into the build). */
    private Path aotDirectory(Service service) {
        return settings.home().resolve("aot").resolve(service.name());
    }

    /** Whether a process runs without an AOT cache and records one when it stops. */
    boolean trainsAotCaches() {
        return training;
    }

    /**
     * A command to run at the services' CPU priority: the benchmark's load generator and pgbench. They
     * stand for shoppers and services on other machines, and must not take the CPU from the shop first.
     */
    List<String> atTheServicesPriority(List<String> command) {
        return priority.lowered(command);
    }

    /** Starts a process of the platform; every one but the gateway at a lower CPU priority ({@link Priority}). */
    private ManagedProcess launch(String name, List<String> command, Map<String, String> environment) {
        List<String> prioritized = name.equals("gateway") ? command : priority.lowered(command);
        launches.put(name, new Launch(prioritized, environment));
        return track(ManagedProcess.start(name, prioritized, environment, settings.logs().resolve(name + ".log")));
    }

    private Map<String, String> serviceEnvironment(Service service) {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "local");
        env.put("SERVER_PORT", Integer.toString(settings.port(service.port())));
        env.put("MANAGEMENT_PORT", Integer.toString(settings.port(service.managementPort())));
        String registryPassword = LocalSecret.registryPassword(settings).value();
        env.put("EUREKA_URL", "http://" + REGISTRY_USER + ":" + registryPassword + "@localhost:" + settings.port(DISCOVERY.port()) + "/eureka/");
        if (service.equals(DISCOVERY)) {
            env.put("EMPORIUM_EUREKA_USERNAME", REGISTRY_USER);
            env.put("EMPORIUM_EUREKA_PASSWORD", registryPassword);
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap());
        if (settings.externalKafka().isPresent()) {
            env.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"); // your own broker, reached as it is
        }
        else {
            env.put("KAFKA_USERNAME", service.name());
            env.put("KAFKA_PASSWORD", LocalSecret.kafkaPassword(settings, service.name()).value());
        }
        if (!service.equals(DISCOVERY)) {
            env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", otlpEndpoint());
        }
        if (service.name().equals("gateway") && System.getenv("EMPORIUM_TRACE_LINK") == null) {
            env.put("EMPORIUM_TRACE_LINK", traceLink());
        }
        if (service.name().equals("user-service")) {
            env.put("EMPORIUM_ADMIN_EMAIL", settings.adminEmail());
            env.put("EMPORIUM_ADMIN_PASSWORD", admin.value());
            // one key for the life of .emporium/: a restarted user-service still accepts the tokens it issued
            env.put("EMPORIUM_JWT_PRIVATE_KEY", LocalSecret.signingKey(settings).value());
        }
        if (service.database() != null) {
            env.put("DB_URL", postgres.jdbcUrl(service.database()));
            ServiceDatabase database = serviceDatabase(service.database());
            env.put("DB_USERNAME", database.role());
            env.put("DB_PASSWORD", database.password());
        }
        env.putAll(extraEnvironment);
        return env;
    }

    private Map<String, String> launcherEnvironment() {
        return Map.of("EMPORIUM_HOME", settings.home().toString(), "EMPORIUM_ROOT", settings.root().toString());
    }

    private ManagedProcess track(ManagedProcess process) {
        processes.removeIf(old -> old.name().equals(process.name()));
        processes.add(process);
        pids.record(process.name(), process.pid());
        return process;
    }

    // What the chaos runner does to a running platform.

    /** SIGKILL: no shutdown hook, no graceful anything, as when a node dies. */
    void kill(String name) {
        ManagedProcess process = find(name);
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        waitUntilStopped(process);
    }

    /** Starts a process again the way it was first started (after {@link #kill} or a stop). */
    void restart(String name) {
        Launch launch = launches.get(name);
        if (launch == null) {
            throw new IllegalArgumentException("no process named " + name + " was started; known: " + launches.keySet());
        }
        track(ManagedProcess.start(name, launch.command(), launch.environment(), settings.logs().resolve(name + ".log")));
    }

    /** SIGSTOP: the process holds its sockets and locks but answers nothing, like a long GC pause. */
    void suspend(String name) {
        signal(name, "STOP");
    }

    /** SIGCONT after {@link #suspend}. */
    void resume(String name) {
        signal(name, "CONT");
    }

    /** A graceful broker restart (SIGTERM, then the same command again), waiting until it answers. */
    void restartKafka() {
        ManagedProcess kafka = find("kafka");
        kafka.stop(Duration.ofSeconds(30));
        restart("kafka");
        waitUntil("Kafka answers again", () -> KafkaBroker.answers(kafkaBootstrap(), kafkaAdmin()));
    }

    /** The embedded PostgreSQL stopped with a fast shutdown (connections cut) and started on the same data. */
    void restartPostgres() {
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

    boolean isAlive(String name) {
        return find(name).isAlive();
    }

    String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /**
     * The role that owns a service's database, and its password: what the chaos audit and the benchmark
     * read and write with too. The superuser only creates the databases and their roles.
     */
    ServiceDatabase database(String database) {
        return serviceDatabase(database);
    }

    String gatewayUrl() {
        return "http://localhost:" + settings.port(8080);
    }

    String managementUrl(String service) {
        return Stream.concat(Stream.of(DISCOVERY), SERVICES.stream())
            .filter(candidate -> candidate.name().equals(service))
            .map(candidate -> "http://localhost:" + settings.port(candidate.managementPort()))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("no service " + service));
    }

    String adminEmail() {
        return settings.adminEmail();
    }

    String adminPassword() {
        return admin.value();
    }

    /** The PID of every process the platform runs (PostgreSQL: its postmaster), for the benchmark's CPU figures. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        processes.forEach(process -> pids.put(process.name(), process.pid()));
        if (postgres != null) {
            postgres.postmasterPid().ifPresent(pid -> pids.put("postgres", pid));
        }
        return pids;
    }

    /** Resident memory of every process now (PostgreSQL: PSS of the postmaster and its backends). */
    Map<String, Long> residentKib() {
        Map<String, Long> memory = new java.util.LinkedHashMap<>();
        processes.forEach(process -> memory.put(process.name(), process.residentKib()));
        if (postgres != null) {
            memory.put("postgres", postgres.proportionalKib());
        }
        return memory;
    }

    int port(Service service) {
        return settings.port(service.port());
    }

    int postgresPort() {
        return settings.port(POSTGRES_PORT);
    }

    static Service service(String name) {
        return SERVICES.stream().filter(service -> service.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** Stops everything now (what Ctrl-C does), for a runner that is done with the platform. */
    void shutdown() {
        stop();
    }

    private void signal(String name, String signal) {
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

    private static void waitUntilStopped(ManagedProcess process) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(100));
        }
    }

    private String kafkaBootstrap() {
        return settings.externalKafka().orElse("localhost:" + settings.port(KAFKA_PORT));
    }

    private String eurekaUrl() {
        return "http://localhost:" + settings.port(DISCOVERY.port());
    }

    private Http.Response eureka(String path) {
        return Http.getAs(eurekaUrl() + path, "application/json", REGISTRY_USER, LocalSecret.registryPassword(settings).value());
    }

    private boolean allRegistered() {
        String registry = eureka("/eureka/apps").body();
        return SERVICES.stream().allMatch(service -> registry.contains("\"" + service.name().toUpperCase() + "\""));
    }

    /** Polls {@code condition} until it holds; fails early, naming the process, if a child has died. */
    private void waitUntil(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        System.out.println("emporium: waiting until " + what);
        while (!condition.get()) {
            if (stopping.get()) {
                throw new StartupFailure("stopped before the platform was ready");
            }
            for (ManagedProcess process : processes) {
                if (!process.isAlive()) {
                    throw new StartupFailure(process.name() + " " + process.exitDescription() + " while waiting until " + what
                            + ". Last lines of " + process.log() + ":\n" + process.lastLines(30));
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StartupFailure("gave up after " + STARTUP_TIMEOUT.toMinutes() + " min waiting until " + what
                        + ". The logs are in " + settings.logs());
            }
            pause(Duration.ofMillis(500));
        }
    }

    private void printReady(ManagedProcess discovery, String kafka) {
        Duration took = Duration.between(settings.startedAt(), Instant.now());
        String gateway = "http://localhost:" + settings.port(8080);
        StringBuilder table = new StringBuilder();
        table.append(String.format("%nemporium: ready in %.1f s%n%n", took.toMillis() / 1000.0));
        table.append(String.format("  %-18s %-46s %9s  %s%n", "process", "address", "RSS", "log"));
        table.append(String.format("  %-18s %-46s%n", "shop", gateway + "/ (storefront, saga console, administration)"));
        table.append(row("gateway", gateway + "/api/products", find("gateway")));
        table.append(row("discovery", eurekaUrl() + "/", discovery));
        for (Service service : SERVICES.subList(0, SERVICES.size() - 1)) {
            table.append(row(service.name(), "http://localhost:" + settings.port(service.port()) + " (actuator :"
                    + settings.port(service.managementPort()) + ")", find(service.name())));
        }
        table.append(String.format("  %-18s %-46s %9s  %s%n", "postgres", postgres.jdbcUrl("<service db>"),
                mib(postgres.proportionalKib()) + "*", settings.logs().resolve("postgres.log")));
        ManagedProcess kafkaProcess = processes.stream().filter(p -> p.name().equals("kafka")).findFirst().orElse(null);
        table.append(kafkaProcess == null ? String.format("  %-18s %s%n", "kafka", kafka) : row("kafka", kafka, kafkaProcess));
        table.append(String.format("  %-18s %-46s%n", "traces", traces == null ? otlpEndpoint()
                : "http://localhost:" + traces.port() + "/traces (in the launcher)"));
        table.append(String.format("  (* PostgreSQL: PSS summed over the postmaster and its backends)%n"));
        table.append(String.format("%n  Administrator: %s%n", admin.describe(settings.adminEmail())));
        table.append(String.format("%n  Try: curl %s/api/products%n", gateway));
        table.append("  Ctrl-C stops everything (or ./emporium down from another terminal).");
        System.out.println(table);
    }

    private ManagedProcess find(String name) {
        return processes.stream().filter(process -> process.name().equals(name)).findFirst().orElseThrow();
    }

    private static String row(String name, String address, ManagedProcess process) {
        return String.format("  %-18s %-46s %9s  %s%n", name, address, mib(process.residentKib()), process.log());
    }

    private static String mib(long kib) {
        return kib == 0 ? "?" : (kib / 1024) + " MiB";
    }

    /** Until asked to stop, tells about any process that dies, with where to look. */
    private void watchUntilStopped() {
        List<ManagedProcess> reported = new ArrayList<>();
        try {
            while (!stopped.await(2, TimeUnit.SECONDS)) {
                for (ManagedProcess process : processes) {
                    if (!process.isAlive() && !reported.contains(process) && !stopping.get()) {
                        reported.add(process);
                        System.out.println("emporium: " + process.name() + " " + process.exitDescription()
                                + "; the rest keeps running. Last lines of " + process.log() + ":\n" + process.lastLines(20));
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Spring processes together (each shuts down gracefully), then Kafka, then PostgreSQL. */
    private void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        System.out.println("emporium: stopping" + (training ? " (the JVMs record what they loaded: the next start makes AOT caches from it)" : ""));
        Duration grace = Duration.ofSeconds(training ? 60 : 30);
        List<Thread> stopping = processes.stream().filter(p -> !p.name().equals("kafka"))
            .map(process -> Thread.ofVirtual().start(() -> process.stop(grace))).toList();
        stopping.forEach(thread -> {
            try {
                thread.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        processes.stream().filter(p -> p.name().equals("kafka")).forEach(process -> process.stop(Duration.ofSeconds(30)));
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

    static final class StartupFailure extends RuntimeException {

        StartupFailure(String message) {
            super(message);
        }
    }
}
