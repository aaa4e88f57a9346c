package dev.emporium.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The idempotent inbox: however often a message arrives, its effect happens once. */
// The same context (and so the same listener group) as DeadLetterIT: one listener on the topic.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealInfrastructure(database = "messaging")
class InboxIT {

    @Autowired
    NoteListener listener;

    @Autowired
    MeterRegistry meters;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void appliesAMessageDeliveredThreeTimesOnce() throws Exception {
        String counter = "thrice-" + UUID.randomUUID();
        Envelope message = new Envelope(UUID.randomUUID(), "Note", java.time.Instant.now(), "flow",
                MessageJson.tree(new Note(counter, 1, false)));
        double duplicatesBefore = duplicates();

        var producer = new DefaultKafkaProducerFactory<String, byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer());
        KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(producer);
        for (int delivery = 0; delivery < 3; delivery++) {
            kafka.send(new ProducerRecord<>(MessagingTestApplication.COMMANDS, counter, MessageJson.bytes(message))).get();
        }
        producer.destroy();

        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() - duplicatesBefore >= 2);
        assertThat(listener.counter(counter)).isEqualTo(1);
        assertThat(listener.attemptsFor(counter)).isEqualTo(1);
    }

    private double duplicates() {
        return meters.counter("emporium.inbox.duplicates").count();
    }
}
