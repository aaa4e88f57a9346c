package dev.emporium.messaging;

/**
 * A message that can never be processed as it is (not an envelope, or a payload of the wrong shape).
 * Retrying cannot help, so it goes to the dead-letter topic at once.
 */
public class UnreadableMessageException extends RuntimeException {

    public UnreadableMessageException(String message) {
        super(message);
    }

    public UnreadableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
