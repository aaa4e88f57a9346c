package dev.emporium.testsupport;

import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Another instance of the service a test runs, in the same JVM: the same database, the same broker,
 * the same consumer groups and the test's own properties, on ports of its own. What a second replica
 * behind the gateway is, without a second JVM: Kafka splits the partitions between the two instances,
 * and whatever one instance writes to the database the other reads.
 */
public final class SecondInstance {

    /**
     * The property sources of a test context that a second instance must share: the real
     * infrastructure's and the test tokens' ({@link RealInfrastructure}, {@link TrustTestTokens}), the
     * test's {@code properties} and its {@code @DynamicPropertySource} values.
     */
    private static final List<String> SHARED = List.of("emporium-real-infrastructure", "emporium-test-tokens", "Inlined Test Properties",
            "Dynamic Test Properties");

    private SecondInstance() {
    }

    /**
     * Starts {@code application} again beside the test's context {@code first}, with the test profile,
     * its HTTP and management servers on free ports.
     */
    public static ConfigurableApplicationContext of(ApplicationContext first, Class<?> application) {
        ConfigurableEnvironment shared = (ConfigurableEnvironment) first.getEnvironment();
        return new SpringApplicationBuilder(application)
            .profiles(shared.getActiveProfiles())
            .initializers(context -> SHARED.stream().map(name -> shared.getPropertySources().get(name))
                .filter(java.util.Objects::nonNull)
                .forEach(source -> context.getEnvironment().getPropertySources().addFirst((PropertySource<?>) source)))
            .properties("server.port=0", "management.server.port=0")
            .run();
    }

    /** The HTTP port an instance listens on. */
    public static int port(ApplicationContext instance) {
        return instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
