package dev.emporium.messaging;

import org.apache.kafka.common.serialization.Serializer;

/** Writes an {@link Envelope} as JSON (used when a failed record is dead-lettered). */
public class EnvelopeSerializer implements Serializer<Envelope> {

    @Override
    public byte[] serialize(String topic, Envelope envelope) {
        return envelope == null ? null : MessageJson.bytes(envelope);
    }
}
