package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

import dev.emporium.messaging.DeadLetters.DeadLetter;
import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison records go to the dead-letter topic after the configured attempts (unreadable ones at once),
 * do not hold up the records behind them, and can be replayed from the admin endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealInfrastructure(database = "messaging")
class DeadLetterIT {

    @Autowired
    NoteListener listener;

    @Autowired
    DeadLetters deadLetters;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Value("${emporium.messaging.consumer.attempts}")
    int attempts;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    org.springframework.kafka.core.KafkaAdmin admin;

    @Autowired
    org.springframework.kafka.config.KafkaListenerEndpointRegistry listeners;

    DefaultKafkaProducerFactory<String, byte[]> producers;
    KafkaTemplate<String, byte[]> kafka;

    @BeforeEach
    void producer() {
        producers = new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        kafka = new KafkaTemplate<>(producers);
        listener.failing.set(true);
    }

    @AfterEach
    void closeProducer() {
        producers.destroy();
    }

    @Test
    void deadLettersUnreadableBytesAtOnceAndGoesOnWithTheNextRecordOfThePartition() throws Exception {
        String poison = "not json " + UUID.randomUUID();
        String next = "after-poison-" + UUID.randomUUID();

        send(0, "poison", poison.getBytes(StandardCharsets.UTF_8));
        send(0, "next", envelope(new Note(next, 1, false)));

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(next) == 1);
        DeadLetter deadLetter = await().atMost(Duration.ofSeconds(30)).until(() -> find(poison), found -> found != null);
        assertThat(deadLetter.originalTopic()).isEqualTo(MessagingTestApplication.COMMANDS);
        assertThat(deadLetter.replayTopic()).as("a topic of its own goes back where it came from").isEqualTo(MessagingTestApplication.COMMANDS);
        assertThat(deadLetter.key()).isEqualTo("poison");
        assertThat(deadLetter.exception()).contains("DeserializationException");
        assertThat(deadLetter.messageId()).isNull();
    }

    @Test
    void deadLettersARecordWhoseHandlerAlwaysFailsAfterTheConfiguredAttemptsAndReplaysItOnRequest() throws Exception {
        String exploding = "explode-" + UUID.randomUUID();
        String next = "after-explode-" + UUID.randomUUID();
        double deadLetteredBefore = deadLettered();

        send(1, exploding, envelope(new Note(exploding, 1, true)));
        send(1, next, envelope(new Note(next, 1, false)));

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(next) == 1);
        DeadLetter deadLetter = await().atMost(Duration.ofSeconds(30)).until(() -> find(exploding), found -> found != null);
        assertThat(listener.attemptsFor(exploding)).isEqualTo(attempts);
        assertThat(deadLettered() - deadLetteredBefore).isEqualTo(1);
        assertThat(listener.counter(exploding)).isZero();
        assertThat(deadLetter.type()).isEqualTo("Note");
        assertThat(deadLetter.reason()).contains("refuses " + exploding + " on purpose");

        listener.failing.set(false);
        var replay = RestClient.create("http://localhost:" + port)
            .post().uri("/api/dead-letters/{id}/replay", deadLetter.id())
            .retrieve()
            .toEntity(String.class);

        assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(JsonPath.<String>read(replay.getBody(), "$.id")).isEqualTo(deadLetter.id());
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(exploding) == 1);
    }

    /**
     * Least privilege: a service may read a topic another service owns, not write to it. A dead letter
     * of such a topic is replayed into the reader's own {@code <topic>.replay}, which the same listener
     * reads, and is applied there; the owner's topic gets nothing.
     */
    @Test
    void replaysADeadLetterOfAnotherServicesTopicIntoItsOwnReplayTopicAndNotIntoThatTopic() throws Exception {
        String foreign = "test-foreign-events";
        String replays = foreign + DeadLetters.REPLAY_SUFFIX;
        admin.createOrModifyTopics(org.springframework.kafka.config.TopicBuilder.name(foreign).partitions(1).build());
        await("the listener of the other service's topic starts once it exists").atMost(Duration.ofSeconds(60))
            .until(() -> listeners.getListenerContainer("foreign-events").isRunning());
        String exploding = "foreign-explode-" + UUID.randomUUID();

        kafka.send(new ProducerRecord<>(foreign, exploding, envelope(new Note(exploding, 1, true)))).get();
        DeadLetter deadLetter = await().atMost(Duration.ofSeconds(30)).until(() -> find(exploding), found -> found != null);
        assertThat(deadLetter.originalTopic()).isEqualTo(foreign);
        assertThat(deadLetter.replayTopic()).as("where the listing says replaying sends it").isEqualTo(replays);
        assertThat(deadLetter.id()).startsWith(foreign + ".DLT-");
        long foreignEnd = endOffset(foreign);
        long replaysEnd = endOffset(replays);

        listener.failing.set(false);
        var replay = RestClient.create("http://localhost:" + port).post().uri("/api/dead-letters/{id}/replay", deadLetter.id())
            .retrieve().toEntity(String.class);

        assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(JsonPath.<String>read(replay.getBody(), "$.replayTopic")).as("the answer names where it was sent").isEqualTo(replays);
        await("applied from the replay topic").atMost(Duration.ofSeconds(30)).until(() -> listener.counter(exploding) == 1);
        assertThat(endOffset(foreign)).as("nothing written to the topic the other service owns").isEqualTo(foreignEnd);
        assertThat(endOffset(replays)).as("the replay, on this service's own topic").isEqualTo(replaysEnd + 1);
    }

    @Test
    void listsTheDeadLetterTopicsOfItsListenersAndRefusesUnknownIds() {
        RestClient http = RestClient.create("http://localhost:" + port);

        String listing = http.get().uri("/api/dead-letters").retrieve().body(String.class);
        var unknown = http.post().uri("/api/dead-letters/{id}/replay", "test-commands.DLT-0-999999")
            .retrieve().onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
        var malformed = http.post().uri("/api/dead-letters/{id}/replay", "orders")
            .retrieve().onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
        var another = http.post().uri("/api/dead-letters/{id}/replay", "topic-of-another-service.DLT-0-1")
            .retrieve().onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);

        // one per topic a listener reads: its own, and the one of a topic another service owns
        assertThat(JsonPath.<java.util.List<String>>read(listing, "$.topics")).containsExactly("test-commands.DLT", "test-foreign-events.DLT");
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(another.getStatusCode()).as("an id as documented, of no dead letter here").isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(malformed.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(malformed.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    private double deadLettered() {
        var counter = meters.find("emporium.messaging.dead.lettered").tag("topic", MessagingTestApplication.COMMANDS).counter();
        return counter == null ? 0 : counter.count();
    }

    private long endOffset(String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin client = org.apache.kafka.clients.admin.Admin.create(admin.getConfigurationProperties())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            return client.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(partition)
                .get().offset();
        }
    }

    private DeadLetter find(String marker) {
        return deadLetters.list().stream()
            .filter(letter -> letter.value() != null && letter.value().contains(marker))
            .findFirst()
            .orElse(null);
    }

    private void send(int partition, String key, byte[] value) throws Exception {
        kafka.send(new ProducerRecord<>(MessagingTestApplication.COMMANDS, partition, key, value)).get();
    }

    private static byte[] envelope(Note note) {
        return MessageJson.bytes(new Envelope(UUID.randomUUID(), "Note", Instant.now(), note.counter(), MessageJson.tree(note)));
    }
}
