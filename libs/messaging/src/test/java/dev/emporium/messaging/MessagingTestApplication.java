package dev.emporium.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.stereotype.Component;

/** A minimal service using the messaging backbone the way the real services do. */
@SpringBootApplication
class MessagingTestApplication {

    /** The topic the test listener consumes; a context can choose another to keep its traffic apart. */
    static final String COMMANDS = "test-commands";
    static final String COMMANDS_PROPERTY = "${test.commands-topic:" + COMMANDS + "}";

    /** A topic another service would own: consumed here, never declared, so this service does not create it. */
    static final String FOREIGN_PROPERTY = "${test.foreign-topic:test-foreign-events}";
    /** This service's own topic for the replays of the foreign topic's dead letters. */
    static final String FOREIGN_REPLAYS_PROPERTY = FOREIGN_PROPERTY + DeadLetters.REPLAY_SUFFIX;

    @Bean
    NewTopic testCommands(@Value(COMMANDS_PROPERTY) String topic) {
        return TopicBuilder.name(topic).partitions(3).build();
    }

    /** The payload of the test messages. */
    record Note(String counter, int sequence, boolean fail) {
    }

    /** A thin listener, as in the services: the inbox guards the effect. */
    @Component
    static class NoteListener {

        final List<Note> attempts = new CopyOnWriteArrayList<>();
        /** The trace id and MDC correlation seen while each note was applied, by counter name. */
        final Map<String, String> traces = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicBoolean failing = new AtomicBoolean(false);
        private final Inbox inbox;
        private final JdbcClient jdbc;

        NoteListener(Inbox inbox, JdbcClient jdbc) {
            this.inbox = inbox;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = COMMANDS_PROPERTY, batch = "true")
        void on(List<ConsumerRecord<String, Envelope>> batch) {
            inbox.receive(batch, message -> {
                switch (message.type()) {
                    case "Note" -> count(message.payload(Note.class));
                    default -> throw new UnreadableMessageException("No handler for message type " + message.type());
                }
            });
        }

        /**
         * The notes of a topic this service reads but does not own (as order-service reads inventory-prices),
         * and the replays of their dead letters.
         */
        @KafkaListener(id = "foreign-events", topics = { FOREIGN_PROPERTY, FOREIGN_REPLAYS_PROPERTY }, batch = "true")
        void onForeign(List<ConsumerRecord<String, Envelope>> batch) {
            on(batch);
        }

        private void count(Note note) {
            attempts.add(note);
            traces.put(note.counter(), String.valueOf(org.slf4j.MDC.get("traceId")) + " " + org.slf4j.MDC.get("orderId"));
            if (note.fail() && failing.get()) {
                throw new IllegalStateException("The handler refuses " + note.counter() + " on purpose");
            }
            jdbc.sql("""
                    insert into counters (name, value) values (:name, 1)
                    on conflict (name) do update set value = counters.value + 1
                    """).param("name", note.counter()).update();
        }

        int counter(String name) {
            return jdbc.sql("select coalesce(sum(value), 0) from counters where name = :name").param("name", name)
                .query(Integer.class).single();
        }

        long attemptsFor(String counter) {
            return attempts.stream().filter(note -> note.counter().equals(counter)).count();
        }
    }
}
