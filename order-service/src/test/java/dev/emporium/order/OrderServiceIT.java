package dev.emporium.order;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import dev.emporium.testsupport.KafkaRoundTrip;
import dev.emporium.testsupport.OpenApiDocuments;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** order-service against a real PostgreSQL and a real Kafka broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
@TrustTestTokens
class OrderServiceIT {

    @Autowired
    Flyway flyway;

    @LocalServerPort
    int port;

    @Test
    void migratesItsOwnDatabase() {
        assertThat(flyway.info().applied()).extracting(MigrationInfo::getScript).contains("V1__Create_orders.sql", "V2__Create_outbox_and_inbox.sql",
            "V3__Add_order_lines_sagas_and_idempotency.sql");
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void servesOrdersAsAPageOverHttp() {
        String json = RestClient.create("http://localhost:" + port).get().uri("/api/orders?size=5")
            .header("Authorization", "Bearer " + TestTokens.customer(java.util.UUID.randomUUID()))
            .retrieve().body(String.class);

        DocumentContext page = JsonPath.parse(json);
        assertThat(page.read("$.page.size", Integer.class)).isEqualTo(5);
        assertThat(page.read("$.page.number", Integer.class)).isZero();
        assertThat(page.read("$.content.length()", Integer.class)).isLessThanOrEqualTo(5);
    }

    /** The administrator's page shows the pricing breaker, the bulkheads and the admission limit as they are; a customer gets 403. */
    @Test
    void showsItsCircuitBreakersAndAdmissionLimitToAnAdministratorOnly() {
        RestClient http = RestClient.create("http://localhost:" + port);
        String json = http.get().uri("/api/orders/resilience")
            .header("Authorization", "Bearer " + TestTokens.admin(java.util.UUID.randomUUID()))
            .retrieve().body(String.class);

        DocumentContext now = JsonPath.parse(json);
        assertThat(now.read("$.circuitBreakers[*].name", java.util.List.class)).contains("inventory-pricing");
        assertThat(now.read("$.circuitBreakers[0].state", String.class)).isIn("CLOSED", "OPEN", "HALF_OPEN");
        assertThat(now.read("$.bulkheads[*].name", java.util.List.class)).contains("inventory-pricing", "order-placement");
        assertThat(now.read("$.admission.limit", Integer.class)).isBetween(1, now.read("$.admission.maxPending", Integer.class));
        assertThat(now.read("$.admission.pending", Integer.class)).isNotNegative();

        int customer = http.get().uri("/api/orders/resilience")
            .header("Authorization", "Bearer " + TestTokens.customer(java.util.UUID.randomUUID()))
            .exchange((request, response) -> response.getStatusCode().value());
        assertThat(customer).isEqualTo(403);
    }

    @Test
    void sendsAndReceivesARecordThroughKafka(@Autowired KafkaAdmin admin, @Autowired KafkaTemplate<Object, Object> template)
            throws Exception {
        ConsumerRecord<String, String> record = KafkaRoundTrip.sendAndReceive(admin, template, "key-1",
                "hello from order-service");

        assertThat(record.value()).isEqualTo("hello from order-service");
    }

    /** What it serves at /v3/api-docs is the document committed in docs/openapi (see {@link OpenApiDocuments}). */
    @Test
    void servesTheCommittedOpenApiDocument() {
        var served = TestHttp.localPort(port).get("/v3/api-docs", null);
        assertThat(served.getStatusCode()).isEqualTo(org.springframework.http.HttpStatus.OK);
        OpenApiDocuments.assertCommitted("order-service", served.getBody());
    }
}
