package dev.emporium.messaging;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of a listener are the database's (wait for it) rather than the record's (retry a few times, then dead-letter). */
class InfrastructureOutageTest {

    @Test
    void aConnectionThatCannotBeHadIsAnOutageHoweverDeepItIsWrapped() {
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new ListenerExecutionFailedException("listener",
                new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))))).isTrue();
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new RuntimeException(
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new RuntimeException(
                new SQLException("connection refused", "08001")))).isTrue();
    }

    @Test
    void aRecordThatBreaksARuleIsNot() {
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new IllegalStateException("no handler for type X"))).isFalse();
        assertThat(MessagingAutoConfiguration.isInfrastructureOutage(new RuntimeException(
                new SQLException("value too long", "22001")))).isFalse();
    }
}
