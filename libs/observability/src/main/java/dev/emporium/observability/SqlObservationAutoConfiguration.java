package dev.emporium.observability;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * In a service with datasource-micrometer, the proxy it makes of the pool is handed out only inside
 * a sampled trace ({@link SqlObservedWhenSampled}). Runs after datasource-micrometer's configuration so
 * that this post-processor sees the proxy it made: Spring applies unordered post-processors in the
 * order their configurations were registered.
 */
@AutoConfiguration(afterName = "net.ttddyy.observation.boot.autoconfigure.DataSourceObservationAutoConfiguration")
@ConditionalOnClass({ ProxyJdbcObject.class, org.springframework.jdbc.datasource.DelegatingDataSource.class })
public class SqlObservationAutoConfiguration {

    @Bean
    static BeanPostProcessor sqlObservedWhenSampled() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof DataSource observed && bean instanceof ProxyJdbcObject proxy && proxy.getTarget() instanceof DataSource plain) {
                    return new SqlObservedWhenSampled(observed, plain);
                }
                return bean;
            }
        };
    }
}
