package dev.emporium.order.checkout;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pooled connection busy (the database itself fine): the caller gets a 503 to retry, and the log
 * says the pool was exhausted, not that the database is unreachable, which would send the person on
 * call to the wrong place.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // ms, Hikari's least; the pool reads it once, at start (setting it later through its MXBean has no effect)
        properties = "spring.datasource.hikari.connection-timeout=250")
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
@TrustTestTokens
@ExtendWith(OutputCaptureExtension.class)
class BusyDatabaseIT {

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    @Test
    void answersServiceUnavailableAndLogsAnExhaustedPoolWhenEveryConnectionIsBusy(CapturedOutput output) throws Exception {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        String token = TestTokens.customer(UUID.randomUUID());
        List<Connection> held = new ArrayList<>();
        ResponseEntity<String> busy;
        try {
            while (held.size() < pool.getMaximumPoolSize()) {
                held.add(pool.getConnection());
            }
            busy = TestHttp.localPort(port).get("/api/orders", token);
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }

        assertThat(busy.getStatusCode().value()).isEqualTo(503);
        assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(busy.getBody()).contains("too busy").doesNotContain("cannot reach its database");
        assertThat(output.getOut()).contains("every connection of the pool stayed busy")
            .as("the pool's own account: total, active, idle, waiting").contains("Connection is not available, request timed out")
            .doesNotContain("the database is unreachable");
        assertThat(TestHttp.localPort(port).get("/api/orders", token).getStatusCode().value())
            .as("the same request once the connections are back").isEqualTo(200);
    }
}
