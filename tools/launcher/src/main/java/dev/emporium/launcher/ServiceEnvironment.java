package dev.emporium.launcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.emporium.launcher.Platform.Service;
import dev.emporium.localpostgres.ServiceDatabase;

/**
 * What each process of the local run is given, the way a deployment gives it: its ports, the
 * registry's login, the broker and its own Kafka login, where traces go, its database and role, and
 * (user-service) the administrator and the signing key. The chaos run and the benchmark add theirs.
 */
record ServiceEnvironment(Settings settings, PlatformKafka kafka, String otlpEndpoint, String traceLink,
        Map<String, String> extra) {

    /** A service's database, owned by a role of its own whose password is kept in the data folder. */
    static ServiceDatabase database(Settings settings, String database) {
        String role = ServiceDatabase.roleOf(database);
        return new ServiceDatabase(database, role, LocalSecret.postgresPassword(settings, role).value());
    }

    /**
     * The environment of one instance. With replicas, every process knows every registry (a client
     * turns to the next when one is down), and the registries are peers: each registers with the
     * others and replicates what it is told. On one host the peers' URLs differ only in the port, so
     * each is told its own URL ({@code eureka.server.my-url}); by default Eureka compares host names
     * and would take every peer for itself.
     */
    Map<String, String> of(Instance instance, AdminPassword admin, LocalPostgres postgres) {
        Service service = instance.service();
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "local");
        env.put("SERVER_PORT", Integer.toString(settings.port(instance.port())));
        env.put("MANAGEMENT_PORT", Integer.toString(settings.port(instance.managementPort())));
        String registryPassword = LocalSecret.registryPassword(settings).value();
        List<String> registries = Instance.of(Platform.DISCOVERY, settings.replicas()).stream()
            .map(registry -> registryUrl(registry, registryPassword)).toList();
        env.put("EUREKA_URL", String.join(",", registries));
        if (service.equals(Platform.DISCOVERY)) {
            env.put("EMPORIUM_EUREKA_USERNAME", Platform.REGISTRY_USER);
            env.put("EMPORIUM_EUREKA_PASSWORD", registryPassword);
            if (registries.size() > 1) {
                env.put("EUREKA_REPLICATED", "true");
                env.put("EUREKA_PEERS", String.join(",", registries));
                env.put("EUREKA_SERVER_MYURL", registryUrl(instance, registryPassword));
            }
        }
        kafka.addTo(env, service.name());
        if (!service.equals(Platform.DISCOVERY)) {
            env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", otlpEndpoint);
        }
        if (service.name().equals("gateway") && System.getenv("EMPORIUM_TRACE_LINK") == null) {
            env.put("EMPORIUM_TRACE_LINK", traceLink);
        }
        if (service.name().equals("user-service")) {
            env.put("EMPORIUM_ADMIN_EMAIL", settings.adminEmail());
            env.put("EMPORIUM_ADMIN_PASSWORD", admin.value());
            // one key for the life of .emporium/: a restarted user-service still accepts the tokens it issued
            env.put("EMPORIUM_JWT_PRIVATE_KEY", LocalSecret.signingKey(settings).value());
        }
        if (service.database() != null) {
            env.put("DB_URL", postgres.jdbcUrl(service.database()));
            ServiceDatabase database = database(settings, service.database());
            env.put("DB_USERNAME", database.role());
            env.put("DB_PASSWORD", database.password());
        }
        env.putAll(extra);
        return env;
    }

    private String registryUrl(Instance registry, String password) {
        return "http://" + Platform.REGISTRY_USER + ":" + password + "@localhost:" + settings.port(registry.port()) + "/eureka/";
    }
}
