package dev.emporium.user;

import java.util.UUID;

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

import dev.emporium.testsupport.KafkaRoundTrip;
import dev.emporium.testsupport.OpenApiDocuments;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.user.account.Account;
import dev.emporium.user.account.AccountManagement;

import static org.assertj.core.api.Assertions.assertThat;

/** user-service against a real PostgreSQL and a real Kafka broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "users")
class UserServiceIT {

    @LocalServerPort
    int port;

    @Autowired
    Flyway flyway;

    @Autowired
    AccountManagement accounts;

    @Test
    void migratesItsOwnDatabase() {
        assertThat(flyway.info().applied()).extracting(MigrationInfo::getScript).contains("V1__Create_accounts.sql", "V2__Create_outbox_and_inbox.sql",
            "V3__Add_credentials_roles_and_credit.sql", "V4__Create_credit_reservations.sql");
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void storesAndReadsAnAccount() {
        Account opened = accounts.register("Ada." + UUID.randomUUID() + "@Example.org", "correct horse battery", "Ada");

        assertThat(accounts.account(opened.id())).get().usingRecursiveComparison().isEqualTo(opened);
        assertThat(opened.email()).isEqualTo(opened.email().toLowerCase());
        assertThat(opened.passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void sendsAndReceivesARecordThroughKafka(@Autowired KafkaAdmin admin, @Autowired KafkaTemplate<Object, Object> template)
            throws Exception {
        ConsumerRecord<String, String> record = KafkaRoundTrip.sendAndReceive(admin, template, "key-1",
                "hello from user-service");

        assertThat(record.value()).isEqualTo("hello from user-service");
    }

    /** What it serves at /v3/api-docs is the document committed in docs/openapi (see {@link OpenApiDocuments}). */
    @Test
    void servesTheCommittedOpenApiDocument() {
        var served = TestHttp.localPort(port).get("/v3/api-docs", null);
        assertThat(served.getStatusCode()).isEqualTo(org.springframework.http.HttpStatus.OK);
        OpenApiDocuments.assertCommitted("user-service", served.getBody());
    }
}
