package dev.emporium.user.account;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;

import dev.emporium.user.account.Account.AccountId;

/** Stores an {@link AccountId} as the plain {@code uuid} column it wraps. */
@Configuration(proxyBeanMethods = false)
class AccountIdConverters {

    @Bean
    JdbcCustomConversions jdbcCustomConversions() {
        return new JdbcCustomConversions(List.of(new ToUuid(), new FromUuid()));
    }

    @WritingConverter
    static final class ToUuid implements Converter<AccountId, UUID> {

        @Override
        public UUID convert(AccountId id) {
            return id.value();
        }
    }

    @ReadingConverter
    static final class FromUuid implements Converter<UUID, AccountId> {

        @Override
        public AccountId convert(UUID value) {
            return new AccountId(value);
        }
    }
}
