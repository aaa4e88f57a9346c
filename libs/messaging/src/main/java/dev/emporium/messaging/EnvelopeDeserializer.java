package dev.emporium.messaging;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an {@link Envelope}. It throws on anything else; consumers wrap it in Spring Kafka's
 * {@code ErrorHandlingDeserializer}, which turns the failure into a dead letter instead of a
 * partition stuck on one unreadable record.
 */
public class EnvelopeDeserializer implements Deserializer<Envelope> {

    @Override
    public Envelope deserialize(String topic, byte[] data) {
        return data == null ? null : MessageJson.envelope(data);
    }
}
