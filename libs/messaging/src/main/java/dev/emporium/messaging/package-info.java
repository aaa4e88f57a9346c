/**
 * Reliable messaging for every service: messages leave through a transactional {@link Outbox} and its
 * {@link OutboxRelay}, arrive through an idempotent {@link Inbox}, and poison records go to
 * {@code <topic>.DLT}, where {@link DeadLetters} lists and replays them.
 */
package dev.emporium.messaging;
