package dev.emporium.inventory;

import java.util.List;

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

import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.catalog.Money;
import dev.emporium.inventory.catalog.Product;
import dev.emporium.testsupport.KafkaRoundTrip;
import dev.emporium.testsupport.OpenApiDocuments;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** inventory-service against a real PostgreSQL and a real Kafka broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "inventory")
@TrustTestTokens
class InventoryServiceIT {

    @Autowired
    Flyway flyway;

    @Autowired
    Catalog catalog;

    @LocalServerPort
    int port;

    @Test
    void migratesItsOwnDatabase() {
        assertThat(flyway.info().applied()).extracting(MigrationInfo::getScript).contains("V1__Create_products.sql", "V2__Create_outbox_and_inbox.sql",
            "V3__Create_stock_and_reservations.sql");
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void storesAndReadsAProduct() {
        Product saved = catalog.add(Product.create("IT-" + System.nanoTime(), "Espresso cup", "Porcelain, 80 ml",
                Money.of("7.50", "EUR"), "kitchen"));

        assertThat(catalog.product(saved.id())).get()
            .usingRecursiveComparison()
            .isEqualTo(saved);
    }

    @Test
    void servesProductsAsAPageOverHttp() {
        Product saved = catalog.add(Product.create("IT-" + System.nanoTime(), "Teapot", null, Money.of("24.00", "EUR"),
                "kitchen"));

        String json = RestClient.create("http://localhost:" + port)
            .get().uri("/api/products?size=100")
            .retrieve()
            .body(String.class);

        DocumentContext page = JsonPath.parse(json);
        assertThat(page.read("$.page.totalElements", Integer.class)).isPositive();
        assertThat(page.read("$.page.size", Integer.class)).isEqualTo(100);
        String product = "$.content[?(@.id == '" + saved.id().value() + "')]";
        assertThat(page.<List<String>>read(product + ".sku")).containsExactly(saved.sku());
        assertThat(page.<List<Object>>read(product + ".price.currency")).containsExactly("EUR");
        assertThat(TestHttp.localPort(port).call(org.springframework.http.HttpMethod.HEAD, "/api/products", null, null).getStatusCode().value())
            .as("HEAD is GET without the body, to anyone as GET is").isEqualTo(200);
    }

    @Test
    void letsOnlyAnAdministratorIntoInventoryAdministration() {
        TestHttp http = TestHttp.localPort(port);

        assertThat(http.get("/api/inventory/dead-letters", null).getStatusCode().value()).isEqualTo(401);
        assertThat(http.get("/api/inventory/dead-letters", TestTokens.customer(java.util.UUID.randomUUID())).getStatusCode().value())
            .isEqualTo(403);
        assertThat(http.get("/api/inventory/dead-letters", TestTokens.admin(java.util.UUID.randomUUID())).getStatusCode().value())
            .isEqualTo(200);
    }

    @Test
    void sendsAndReceivesARecordThroughKafka(@Autowired KafkaAdmin admin, @Autowired KafkaTemplate<Object, Object> template)
            throws Exception {
        ConsumerRecord<String, String> record = KafkaRoundTrip.sendAndReceive(admin, template, "key-1",
                "hello from inventory-service");

        assertThat(record.value()).isEqualTo("hello from inventory-service");
    }

    /** What it serves at /v3/api-docs is the document committed in docs/openapi (see {@link OpenApiDocuments}). */
    @Test
    void servesTheCommittedOpenApiDocument() {
        var served = TestHttp.localPort(port).get("/v3/api-docs", null);
        assertThat(served.getStatusCode()).isEqualTo(org.springframework.http.HttpStatus.OK);
        OpenApiDocuments.assertCommitted("inventory-service", served.getBody());
    }
}
