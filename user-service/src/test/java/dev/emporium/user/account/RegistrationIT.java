package dev.emporium.user.account;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.user.account.AccountManagement.EmailTakenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A registration hashes its password before it opens a transaction, so no pooled connection waits
 * on a hash (or on a turn to hash). The service's own password encoder, watched: each hash notes
 * whether a transaction was open on its thread.
 */
@SpringBootTest
@ActiveProfiles("test")
@RealInfrastructure(database = "users")
class RegistrationIT {

    static final List<Boolean> hashedInATransaction = new CopyOnWriteArrayList<>();

    @TestConfiguration(proxyBeanMethods = false)
    static class WatchedHashing {

        @Bean
        static BeanPostProcessor watchTheHashing() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof PasswordEncoder passwords ? new PasswordEncoder() {
                        @Override
                        public String encode(CharSequence rawPassword) {
                            hashedInATransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
                            return passwords.encode(rawPassword);
                        }

                        @Override
                        public boolean matches(CharSequence rawPassword, String encodedPassword) {
                            return passwords.matches(rawPassword, encodedPassword);
                        }
                    } : bean;
                }
            };
        }
    }

    @Autowired
    AccountManagement accounts;

    @BeforeEach
    void forgetTheHashesOfTheStart() {
        hashedInATransaction.clear();
    }

    @Test
    void hashesThePasswordBeforeItsTransactionAndSavesTheAccountWithIt() {
        String email = "grace." + UUID.randomUUID() + "@example.org";

        Account registered = accounts.register(email, "correct horse battery staple", "Grace");

        assertThat(hashedInATransaction).as("for each hash of the registration: was a transaction open?").containsExactly(false);
        assertThat(accounts.byEmail(email)).map(Account::id).contains(registered.id());
        assertThat(accounts.byEmail(email).orElseThrow().passwordHash()).startsWith("$argon2id$");
    }

    @Test
    void aTakenAddressCostsAHashTooAndIsRefused() {
        String email = "hopper." + UUID.randomUUID() + "@example.org";
        accounts.register(email, "correct horse battery staple", "Grace");
        hashedInATransaction.clear();

        assertThatExceptionOfType(EmailTakenException.class)
            .isThrownBy(() -> accounts.register(email.toUpperCase(), "another horse battery staple", "Someone else"));
        assertThat(hashedInATransaction).as("a taken address answers no sooner than a free one").containsExactly(false);
    }
}
