package dev.emporium.user;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import dev.emporium.testsupport.KafkaRoundTrip;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.user.account.Account;
import dev.emporium.user.account.AccountManagement;

import static org.assertj.core.api.Assertions.assertThat;

/** user-service against a real PostgreSQL and a real Kafka broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "users")
class UserServiceIT {

    @Autowired
    Flyway flyway;

    @Autowired
    AccountManagement accounts;

    @LocalServerPort
    int port;

    @Test
    void migratesItsOwnDatabase() {
        assertThat(flyway.info().applied()).extracting(MigrationInfo::getScript).contains("V1__Create_accounts.sql", "V2__Create_outbox_and_inbox.sql");
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void storesAndReadsAnAccount() {
        Account opened = accounts.open(Account.open("Ada." + UUID.randomUUID() + "@Example.org", "Ada"));

        assertThat(accounts.account(opened.id())).get().usingRecursiveComparison().isEqualTo(opened);
        assertThat(opened.email()).isEqualTo(opened.email().toLowerCase());
    }

    @Test
    void servesAnAccountOverHttpAndAProblemForAnUnknownOne() {
        Account opened = accounts.open(Account.open("grace." + UUID.randomUUID() + "@example.org", "Grace"));
        RestClient http = RestClient.create("http://localhost:" + port);

        String body = http.get().uri("/api/users/{id}", opened.id().value()).retrieve().body(String.class);
        ResponseEntity<String> missing = http.get().uri("/api/users/{id}", UUID.randomUUID())
            .retrieve()
            .onStatus(status -> true, (request, response) -> {
            })
            .toEntity(String.class);

        assertThat(body).contains(opened.email(), "\"name\":\"Grace\"");
        assertThat(missing.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(missing.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(missing.getBody()).contains("No account has the id");
    }

    @Test
    void sendsAndReceivesARecordThroughKafka(@Autowired KafkaAdmin admin, @Autowired KafkaTemplate<Object, Object> template)
            throws Exception {
        ConsumerRecord<String, String> record = KafkaRoundTrip.sendAndReceive(admin, template, "key-1",
                "hello from user-service");

        assertThat(record.value()).isEqualTo("hello from user-service");
    }
}
