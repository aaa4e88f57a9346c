package dev.emporium.messaging;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of the outbox relay, in one place. */
class OutboxStore {

    private static final JsonMapper json = JsonMapper.builder().build();

    /** One number per database: whoever holds it is the relay of this service for one batch. */
    private static final String RELAY_LOCK = "select pg_try_advisory_xact_lock(hashtext('emporium.outbox-relay'))";

    private final JdbcClient jdbc;

    OutboxStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A message to relay, with what its trace span is labelled with. */
    record Pending(long id, String messageId, String type, String correlationId, String topic, String key, String envelope,
            Map<String, String> headers) {
    }

    record Backlog(long pending, Optional<Instant> oldest) {
    }

    /**
     * Whether this transaction may relay. Two instances of a service share one outbox; letting one
     * publish at a time (the other skips its turn) keeps each key's messages in commit order.
     */
    boolean takeRelayTurn() {
        return Boolean.TRUE.equals(jdbc.sql(RELAY_LOCK).query(Boolean.class).single());
    }

    /**
     * Takes the oldest pending messages and marks them sent at {@code at}, in one statement. Nobody
     * sees the mark before the transaction commits, and the relay commits only once Kafka has
     * acknowledged every message of the batch; if it does not, the transaction rolls back and the
     * messages are pending again. (Reading them and marking them afterwards took two statements per
     * batch, and a batch is often one message.) The rows stay locked until the transaction ends.
     *
     * @return the messages in outbox id order: the order in which they must be sent
     */
    List<Pending> takeOldestPending(int limit, Instant at) {
        return jdbc.sql("""
                update outbox set sent_at = :at
                where id in (select id from outbox where sent_at is null order by id limit :limit for update skip locked)
                returning id, message_id, type, correlation_id, topic, message_key, envelope::text as envelope, headers::text as headers
                """)
            .param("at", Timestamp.from(at))
            .param("limit", limit)
            .query((row, n) -> new Pending(row.getLong("id"), row.getString("message_id"), row.getString("type"),
                    row.getString("correlation_id"), row.getString("topic"), row.getString("message_key"), row.getString("envelope"),
                    headers(row.getString("headers"))))
            .list()
            .stream()
            // returning gives the rows in whatever order the update met them
            .sorted(Comparator.comparingLong(Pending::id))
            .toList();
    }

    int deleteSentBefore(Instant cutoff) {
        return jdbc.sql("delete from outbox where sent_at < :cutoff").param("cutoff", Timestamp.from(cutoff)).update();
    }

    int deleteInboxBefore(Instant cutoff) {
        return jdbc.sql("delete from inbox where received_at < :cutoff").param("cutoff", Timestamp.from(cutoff)).update();
    }

    Backlog backlog() {
        return jdbc.sql("select count(*) as pending, min(occurred_at) as oldest from outbox where sent_at is null")
            .query((row, n) -> new Backlog(row.getLong("pending"),
                    Optional.ofNullable(row.getTimestamp("oldest")).map(Timestamp::toInstant)))
            .single();
    }

    static Duration age(Backlog backlog, Instant now) {
        return backlog.oldest().map(oldest -> Duration.between(oldest, now)).orElse(Duration.ZERO);
    }

    private static Map<String, String> headers(String text) {
        return text == null ? Map.of() : json.readValue(text, new TypeReference<Map<String, String>>() {
        });
    }
}
