package dev.emporium.messaging;

import java.util.Map;

/**
 * Headers to capture when a message is written to the outbox and to send with it later, such as the
 * W3C {@code traceparent} of the transaction that wrote it. Every bean of this type is asked.
 */
@FunctionalInterface
public interface OutgoingHeaders {

    Map<String, String> current();
}
