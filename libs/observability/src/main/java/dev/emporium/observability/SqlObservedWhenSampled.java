package dev.emporium.observability;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.opentelemetry.api.trace.Span;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out a connection that datasource-proxy watches only inside a sampled trace; any other
 * caller gets the pool's own connection.
 *
 * <p>{@link Unobserved} already leaves a statement outside a sampled trace without a span, but
 * datasource-proxy still wrapped every connection, statement and result set in a JDK proxy and ran
 * its listeners for each call, for statements that no trace shows, a visible share of each
 * service's profile at {@code EMPORIUM_TRACE_SAMPLING=0.1}. Here the choice is
 * made once, when a connection is taken from the pool, usually at the start of a transaction: what
 * the connection then runs is observed as before if the trace is sampled, and not wrapped at all if
 * it is not.
 *
 * <p>The one difference: a trace that starts inside a transaction opened without one (an
 * {@code outbox write} span written by a poller, see {@link TraceRoots}) shows no SQL of that
 * transaction, because its connection was taken before the trace began.
 */
final class SqlObservedWhenSampled extends DelegatingDataSource {

    private final DataSource observed;
    private final DataSource plain;

    /** {@code observed} is datasource-proxy's proxy of {@code plain}, the pool. */
    SqlObservedWhenSampled(DataSource observed, DataSource plain) {
        super(observed);
        this.observed = observed;
        this.plain = plain;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return sampled() ? observed.getConnection() : plain.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return sampled() ? observed.getConnection(username, password) : plain.getConnection(username, password);
    }

    private static boolean sampled() {
        return Span.current().getSpanContext().isSampled();
    }
}
