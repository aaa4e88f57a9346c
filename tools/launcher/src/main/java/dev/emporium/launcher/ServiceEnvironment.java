package dev.emporium.launcher;

import java.util.HashMap;
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

    Map<String, String> of(Service service, AdminPassword admin, LocalPostgres postgres) {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "local");
        env.put("SERVER_PORT", Integer.toString(settings.port(service.port())));
        env.put("MANAGEMENT_PORT", Integer.toString(settings.port(service.managementPort())));
        String registryPassword = LocalSecret.registryPassword(settings).value();
        env.put("EUREKA_URL", "http://" + Platform.REGISTRY_USER + ":" + registryPassword + "@localhost:"
                + settings.port(Platform.DISCOVERY.port()) + "/eureka/");
        if (service.equals(Platform.DISCOVERY)) {
            env.put("EMPORIUM_EUREKA_USERNAME", Platform.REGISTRY_USER);
            env.put("EMPORIUM_EUREKA_PASSWORD", registryPassword);
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
}
