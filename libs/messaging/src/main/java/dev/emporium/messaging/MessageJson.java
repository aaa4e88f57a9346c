package dev.emporium.messaging;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of messages, independent of each service's web JSON settings so that every
 * service writes and reads envelopes the same way.
 */
final class MessageJson {

    private static final JsonMapper json = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();

    private MessageJson() {
    }

    static JsonNode tree(Object payload) {
        return json.valueToTree(payload);
    }

    static String write(Object value) {
        return json.writeValueAsString(value);
    }

    static byte[] bytes(Envelope envelope) {
        return json.writeValueAsBytes(envelope);
    }

    static Envelope envelope(byte[] bytes) {
        try {
            Envelope envelope = json.readValue(bytes, Envelope.class);
            if (envelope == null) {
                throw new UnreadableMessageException("The record value is JSON null, not an envelope");
            }
            return envelope;
        }
        catch (JacksonException | NullPointerException e) {
            throw new UnreadableMessageException("The record value is not a message envelope: " + e.getMessage(), e);
        }
    }

    static <T> T convert(JsonNode payload, Class<T> type, Envelope envelope) {
        try {
            return json.treeToValue(payload, type);
        }
        catch (JacksonException | IllegalArgumentException e) {
            throw new UnreadableMessageException("The payload of " + envelope.type() + " " + envelope.messageId()
                    + " does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
