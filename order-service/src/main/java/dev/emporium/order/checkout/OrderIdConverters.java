package dev.emporium.order.checkout;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;

import dev.emporium.order.checkout.Order.OrderId;

/** Stores a {@link OrderId} as the plain {@code uuid} column it wraps. */
@Configuration(proxyBeanMethods = false)
class OrderIdConverters {

    @Bean
    JdbcCustomConversions jdbcCustomConversions() {
        return new JdbcCustomConversions(List.of(new ToUuid(), new FromUuid()));
    }

    @WritingConverter
    static final class ToUuid implements Converter<OrderId, UUID> {

        @Override
        public UUID convert(OrderId id) {
            return id.value();
        }
    }

    @ReadingConverter
    static final class FromUuid implements Converter<UUID, OrderId> {

        @Override
        public OrderId convert(UUID value) {
            return new OrderId(value);
        }
    }
}
