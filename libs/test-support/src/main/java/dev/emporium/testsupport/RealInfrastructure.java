package dev.emporium.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Points a Spring test context at the shared real PostgreSQL and Kafka of this JVM: the datasource
 * (and so Flyway) at {@link #database()}, and {@code spring.kafka.bootstrap-servers} at the broker.
 * Test code does not know, or care, whether they run in containers or embedded.
 *
 * <pre>{@code
 * @SpringBootTest
 * @RealInfrastructure(database = "inventory")
 * class StockIT { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
// Spring reads the first @ContextCustomizerFactories it finds, so both test-support annotations name both factories.
@ContextCustomizerFactories({ RealInfrastructureContextCustomizerFactory.class, TrustTestTokens.Factory.class })
public @interface RealInfrastructure {

    /** The service's own database, as named in production (database per service). */
    String database();

    /**
     * Whether to point Spring Kafka at the shared broker; {@code false} for a test that brings its own
     * (a {@link KafkaProcess} it stops and starts).
     */
    boolean kafka() default true;
}
