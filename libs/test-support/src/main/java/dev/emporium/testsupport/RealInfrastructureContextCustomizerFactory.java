package dev.emporium.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Turns {@link RealInfrastructure} into connection properties. The customizer is a record, so two
 * test classes asking for the same database share one cached Spring context.
 */
class RealInfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        RealInfrastructure annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                RealInfrastructure.class);
        return annotation == null ? null : new Customizer(annotation.database(), annotation.kafka());
    }

    private record Customizer(String database, boolean kafka) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            PostgresServer postgres = TestInfrastructure.postgres();
            Map<String, Object> properties = new HashMap<>(Map.of(
                    "spring.datasource.url", postgres.jdbcUrl(database),
                    "spring.datasource.username", postgres.username(database),
                    "spring.datasource.password", postgres.password(database)));
            // the tests' broker is open (no SASL, no ACLs); the real platform's is not: KafkaAccessIT, PlatformLauncherIT
            properties.put("spring.kafka.security.protocol", "PLAINTEXT");
            if (kafka) {
                properties.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafka().bootstrapServers());
            }
            context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("emporium-real-infrastructure", properties));
        }
    }
}
