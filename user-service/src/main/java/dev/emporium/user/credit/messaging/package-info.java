/** The credit side of the place-order saga on Kafka: a thin listener that hands commands to {@code Credit}. */
package dev.emporium.user.credit.messaging;
