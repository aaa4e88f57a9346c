package dev.emporium.messaging;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * What every Kafka message of the platform carries as its value. The record key is the aggregate id
 * (the order id for saga traffic) and the W3C trace context travels in the record headers.
 *
 * @param messageId unique per message; the inbox uses it to apply a message once
 * @param type the payload's record name, e.g. {@code ReserveStock}
 * @param occurredAt when the state change that caused the message committed
 * @param correlationId what ties messages of one business flow together (the order id in the sagas);
 *        left out of the JSON where there is none (inventory events), as docs/asyncapi.yaml says
 * @param payload the message itself, as JSON
 */
public record Envelope(UUID messageId, String type, Instant occurredAt,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String correlationId,
        JsonNode payload) {

    public Envelope {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload as the receiving service's own record type. */
    public <T> T payload(Class<T> type) {
        return MessageJson.convert(payload, type, this);
    }
}
