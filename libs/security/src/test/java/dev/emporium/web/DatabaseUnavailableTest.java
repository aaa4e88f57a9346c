package dev.emporium.web;

import java.net.ServerSocket;
import java.sql.SQLTransientConnectionException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A 503 from the database says which of two very different things happened: the database cannot be
 * reached (call whoever runs it) or every pooled connection was busy (the service is overloaded).
 * The busy case against a real database is {@code BusyDatabaseIT} in order-service.
 */
class DatabaseUnavailableTest {

    @Test
    void aPoolThatCannotOpenAConnectionIsAnUnreachableDatabase() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + closedPort + "/nothing");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1); // start without a database, as a service does during an outage
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Throwable failure = catchThrowable(pool::getConnection);

            assertThat(failure).isInstanceOf(SQLTransientConnectionException.class);
            assertThat(ProblemDetailsAdvice.isPoolExhausted(new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                    (SQLTransientConnectionException) failure))).isFalse();
        }
    }

    @Test
    void aTimeoutWithoutAFailureToConnectIsAnExhaustedPool() {
        // what HikariPool throws when no connection came free in time and the last attempt to open one succeeded
        var timeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 250ms (total=10, active=10, idle=0, waiting=3)");

        assertThat(ProblemDetailsAdvice.isPoolExhausted(new CannotCreateTransactionException("Could not open JDBC Connection for transaction", timeout)))
            .isTrue();
        assertThat(ProblemDetailsAdvice.isPoolExhausted(new IllegalStateException("something else"))).isFalse();
    }
}
