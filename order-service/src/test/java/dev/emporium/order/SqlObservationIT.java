package dev.emporium.order;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * datasource-proxy watches a connection only inside a sampled trace (libs/observability's
 * SqlObservedWhenSampled): the service's own DataSource, on the real orders database. The same
 * context as OrderPersistenceIT.
 */
@SpringBootTest
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
class SqlObservationIT {

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void aStatementInsideASampledTraceIsObserved() throws SQLException {
        double before = observedQueries();
        try (Scope sampled = inSpan(TraceFlags.getSampled()); Connection connection = dataSource.getConnection()) {
            assertThat(connection).isInstanceOf(ProxyJdbcObject.class);
            selectOne(connection);
        }
        assertThat(observedQueries()).as("jdbc.query observations").isGreaterThan(before);
    }

    @Test
    void aConnectionOutsideASampledTraceIsThePoolsOwn() throws SQLException {
        try (Scope notSampled = inSpan(TraceFlags.getDefault()); Connection connection = dataSource.getConnection()) {
            assertThat(connection).as("in a trace that is not exported").isNotInstanceOf(ProxyJdbcObject.class);
            selectOne(connection);
        }
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection).as("with no trace at all: a poller's").isNotInstanceOf(ProxyJdbcObject.class);
            selectOne(connection);
        }
    }

    @Test
    void thePoolCanStillBeFoundBehindIt() throws SQLException {
        assertThat(dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean()).isNotNull();
    }

    private double observedQueries() {
        return meters.find("jdbc.query").timers().stream().mapToDouble(Timer::count).sum();
    }

    private static void selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertThat(statement.execute("select 1")).isTrue();
        }
    }

    private static Scope inSpan(TraceFlags flags) {
        return Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", flags, TraceState.getDefault()))
            .makeCurrent();
    }
}
