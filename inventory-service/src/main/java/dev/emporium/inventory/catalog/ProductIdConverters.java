package dev.emporium.inventory.catalog;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;

import dev.emporium.inventory.catalog.Product.ProductId;

/** Stores a {@link ProductId} as the plain {@code uuid} column it wraps. */
@Configuration(proxyBeanMethods = false)
class ProductIdConverters {

    @Bean
    JdbcCustomConversions jdbcCustomConversions() {
        return new JdbcCustomConversions(List.of(new ToUuid(), new FromUuid()));
    }

    @WritingConverter
    static final class ToUuid implements Converter<ProductId, UUID> {

        @Override
        public UUID convert(ProductId id) {
            return id.value();
        }
    }

    @ReadingConverter
    static final class FromUuid implements Converter<UUID, ProductId> {

        @Override
        public ProductId convert(UUID value) {
            return new ProductId(value);
        }
    }
}
