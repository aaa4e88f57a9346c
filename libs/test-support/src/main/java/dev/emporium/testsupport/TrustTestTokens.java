package dev.emporium.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Makes a service trust {@link TestTokens}: its JWKS stands in for user-service's, so a test can call
 * the service as a customer, as an admin, or with a forged token.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
// Spring reads the first @ContextCustomizerFactories it finds, so both test-support annotations name both factories.
@ContextCustomizerFactories({ RealInfrastructureContextCustomizerFactory.class, TrustTestTokens.Factory.class })
public @interface TrustTestTokens {

    class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
            return TestContextAnnotationUtils.hasAnnotation(testClass, TrustTestTokens.class) ? new Customizer() : null;
        }
    }

    record Customizer() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("emporium-test-tokens",
                    Map.of("emporium.security.jwt.jwk-set-uri", TestTokens.jwkSetUri())));
        }
    }
}
