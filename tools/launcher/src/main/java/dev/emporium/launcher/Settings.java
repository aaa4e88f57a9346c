package dev.emporium.launcher;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the local run can be told, read from environment variables so the same launcher serves
 * a developer, CI and the chaos and benchmark runners.
 *
 * <table>
 * <tr><td>EMPORIUM_ROOT</td><td>the project checkout (default: the working directory)</td></tr>
 * <tr><td>EMPORIUM_HOME</td><td>data, logs and PIDs (default: {@code <root>/.emporium})</td></tr>
 * <tr><td>EMPORIUM_PORT_OFFSET</td><td>added to every port, to run a second platform beside the first</td></tr>
 * <tr><td>EMPORIUM_DB_HOST, _PORT, _USERNAME, _PASSWORD</td><td>use this PostgreSQL instead of the embedded one</td></tr>
 * <tr><td>EMPORIUM_KAFKA_BOOTSTRAP_SERVERS</td><td>use this Kafka instead of the embedded broker</td></tr>
 * <tr><td>EMPORIUM_JAVA_OPTS</td><td>JVM options for every service process</td></tr>
 * <tr><td>EMPORIUM_GATEWAY_JAVA_OPTS</td><td>more JVM options for the gateway (and the benchmark's bare
 * gateway), after those; default {@value #DEFAULT_GATEWAY_JAVA_OPTIONS}</td></tr>
 * <tr><td>EMPORIUM_ADMIN_EMAIL, EMPORIUM_ADMIN_PASSWORD</td><td>the administrator to create; without a
 * password one is generated once and kept in {@code <home>/admin-password}</td></tr>
 * <tr><td>EMPORIUM_OTLP_ENDPOINT</td><td>where the services send their traces (OTLP over HTTP, e.g. a
 * Jaeger's {@code http://localhost:4318/v1/traces}); without it the launcher's own collector on port
 * 4318 receives them and shows them at {@code /traces}</td></tr>
 * <tr><td>EMPORIUM_AOT</td><td>{@code off}: no JDK AOT cache for the Spring processes (see {@link AotCache})</td></tr>
 * <tr><td>EMPORIUM_NICE</td><td>how much lower the CPU priority ({@code nice}) of every process behind
 * the gateway is than the gateway's, 0 to 19; default {@value #DEFAULT_NICE}, 0 runs all alike (see {@link Priority})</td></tr>
 * <tr><td>EMPORIUM_REPLICAS</td><td>instances of the registry and of each service behind the gateway, 1 to
 * {@value #MAX_REPLICAS} (what {@code ./emporium up --replicas=N} sets); default 1 (see {@link Instance})</td></tr>
 * <tr><td>EMPORIUM_KAFKA_BROKERS</td><td>brokers of the embedded Kafka, 1 or 3 (what {@code --kafka-brokers=N}
 * sets): three form one KRaft quorum and the services' topics get replication factor 3 and
 * {@code min.insync.replicas} 2; default 1 (see {@link PlatformKafka})</td></tr>
 * </table>
 */
public record Settings(Path root, Path home, int portOffset, Optional<ExternalDatabase> externalDatabase,
        Optional<String> externalKafka, String javaOptions, String gatewayJavaOptions, Instant startedAt, String adminEmail,
        Optional<String> adminPassword, Optional<String> otlpEndpoint, boolean aotCache, int nice, int replicas, int kafkaBrokers) {

    /**
     * Small heaps and the serial collector: six JVMs share two cores. The full JIT (C2), which doubles
     * what a service does per core once warm, and whose start-up cost the AOT cache pays back.
     */
    public static final String DEFAULT_JAVA_OPTIONS = "-Xms128m -Xmx512m -XX:+UseSerialGC";

    /**
     * One Reactor Netty event loop instead of its default of at least four: here the gateway shares two
     * cores with nine other processes, and every extra loop costs CPU per proxied request in thread
     * hand-offs. One loop can be starved of CPU under overload; {@link Priority} prevents that.
     */
    public static final String DEFAULT_GATEWAY_JAVA_OPTIONS = "-Dreactor.netty.ioWorkerCount=1";

    /** See {@link Priority}: the gateway first, so that an overloaded shop still answers at its door. */
    public static final int DEFAULT_NICE = 5;

    /** Three instances of everything on one machine is already nine JVMs behind the gateway. */
    public static final int MAX_REPLICAS = 3;

    public record ExternalDatabase(String host, int port, String username, String password) {
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * A platform of a runner's own (chaos, benchmark) beside the developer's: its data folder emptied
     * (every run starts from empty databases and an empty broker), ports shifted unless
     * EMPORIUM_PORT_OFFSET says otherwise, the embedded PostgreSQL and Kafka whatever the environment names.
     *
     * @param homeVariable the variable that may name the data folder; else {@code <root>/<homeDefault>}
     */
    public static Settings ownPlatform(Map<String, String> environment, String homeVariable, String homeDefault, int portOffset) {
        Map<String, String> env = new HashMap<>(environment);
        Path home = Path.of(env.getOrDefault(homeVariable, from(env).root().resolve(homeDefault).toString()));
        Directories.deleteRecursively(home);
        env.put("EMPORIUM_HOME", home.toString());
        env.putIfAbsent("EMPORIUM_PORT_OFFSET", Integer.toString(portOffset));
        env.remove("EMPORIUM_DB_HOST");
        env.remove("EMPORIUM_KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EMPORIUM_REPLICAS"); // the runners' own --replicas and --kafka-brokers say it (withLayout)
        env.remove("EMPORIUM_KAFKA_BROKERS");
        env.put("EMPORIUM_STARTED_AT", Long.toString(System.currentTimeMillis()));
        return from(env);
    }

    public static Settings from(Map<String, String> env) {
        Path root = Path.of(env.getOrDefault("EMPORIUM_ROOT", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path home = Path.of(env.getOrDefault("EMPORIUM_HOME", root.resolve(".emporium").toString())).toAbsolutePath();
        int offset = integer(env, "EMPORIUM_PORT_OFFSET", 0);
        Optional<ExternalDatabase> database = Optional.ofNullable(env.get("EMPORIUM_DB_HOST"))
            .filter(host -> !host.isBlank())
            .map(host -> new ExternalDatabase(host, integer(env, "EMPORIUM_DB_PORT", 5432),
                    env.getOrDefault("EMPORIUM_DB_USERNAME", "postgres"), env.getOrDefault("EMPORIUM_DB_PASSWORD", "")));
        Optional<String> kafka = Optional.ofNullable(env.get("EMPORIUM_KAFKA_BOOTSTRAP_SERVERS")).filter(s -> !s.isBlank());
        Instant startedAt = Optional.ofNullable(env.get("EMPORIUM_STARTED_AT"))
            .map(millis -> Instant.ofEpochMilli(Long.parseLong(millis.trim())))
            .orElseGet(() -> ProcessHandle.current().info().startInstant().orElseGet(Instant::now));
        return new Settings(root, home, offset, database, kafka,
                env.getOrDefault("EMPORIUM_JAVA_OPTS", DEFAULT_JAVA_OPTIONS),
                env.getOrDefault("EMPORIUM_GATEWAY_JAVA_OPTS", DEFAULT_GATEWAY_JAVA_OPTIONS), startedAt,
                env.getOrDefault("EMPORIUM_ADMIN_EMAIL", "admin@emporium.local"),
                Optional.ofNullable(env.get("EMPORIUM_ADMIN_PASSWORD")).filter(password -> !password.isBlank()),
                Optional.ofNullable(env.get("EMPORIUM_OTLP_ENDPOINT")).filter(endpoint -> !endpoint.isBlank()),
                !"off".equalsIgnoreCase(env.getOrDefault("EMPORIUM_AOT", "on").trim()), nice(env), replicas(env),
                kafkaBrokers(env));
    }

    private static int kafkaBrokers(Map<String, String> env) {
        int brokers = integer(env, "EMPORIUM_KAFKA_BROKERS", 1);
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException("EMPORIUM_KAFKA_BROKERS (--kafka-brokers) must be 1 or 3 (a KRaft quorum that"
                    + " survives the loss of one broker needs three), not " + brokers);
        }
        return brokers;
    }

    private static int replicas(Map<String, String> env) {
        int replicas = integer(env, "EMPORIUM_REPLICAS", 1);
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("EMPORIUM_REPLICAS (--replicas) must be 1 to " + MAX_REPLICAS
                    + " (instances of the registry and of each service), not " + replicas);
        }
        return replicas;
    }

    private static int nice(Map<String, String> env) {
        int nice = integer(env, "EMPORIUM_NICE", DEFAULT_NICE);
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("EMPORIUM_NICE must be 0 to 19 (how much lower the services' CPU priority is than the"
                    + " gateway's; 0 runs all alike), not " + nice);
        }
        return nice;
    }

    /** The same settings for a platform launched now (a second start in one run: "ready in" counts from here). */
    public Settings launchedNow() {
        return new Settings(root, home, portOffset, externalDatabase, externalKafka, javaOptions, gatewayJavaOptions, Instant.now(),
                adminEmail, adminPassword, otlpEndpoint, aotCache, nice, replicas, kafkaBrokers);
    }

    /**
     * The same settings with this many instances of each service and brokers (a runner's
     * {@code --replicas} and {@code --kafka-brokers}), checked as the variables would be.
     */
    public Settings withLayout(int replicas, int kafkaBrokers) {
        Settings checked = from(Map.of("EMPORIUM_REPLICAS", Integer.toString(replicas), "EMPORIUM_KAFKA_BROKERS",
                Integer.toString(kafkaBrokers)));
        return new Settings(root, home, portOffset, externalDatabase, externalKafka, javaOptions, gatewayJavaOptions, startedAt,
                adminEmail, adminPassword, otlpEndpoint, aotCache, nice, checked.replicas(), checked.kafkaBrokers());
    }

    /** The JVM options of a service process: every service's, and for the gateway its own after them. */
    public List<String> javaOptionsOf(String service) {
        List<String> options = new ArrayList<>(words(javaOptions));
        if (service.equals("gateway")) {
            options.addAll(words(gatewayJavaOptions));
        }
        return options;
    }

    private static List<String> words(String options) {
        return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }

    public int port(int base) {
        return base + portOffset;
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path jar(String module) {
        return root.resolve(module).resolve("target").resolve(Path.of(module).getFileName() + ".jar");
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
