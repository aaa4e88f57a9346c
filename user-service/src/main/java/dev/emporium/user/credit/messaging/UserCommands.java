package dev.emporium.user.credit.messaging;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.emporium.messaging.Envelope;
import dev.emporium.messaging.Inbox;
import dev.emporium.messaging.UnreadableMessageException;
import dev.emporium.user.Topics;
import dev.emporium.user.credit.Credit;
import dev.emporium.user.credit.Messages.CommitCredit;
import dev.emporium.user.credit.Messages.ReleaseCredit;
import dev.emporium.user.credit.Messages.ReserveCredit;

/**
 * The commands order-service sends on {@code user-commands}, a poll at a time: each applied once through
 * the inbox, in one transaction per poll, which first locks the credit accounts it will change in
 * account order so that two consumers' batches cannot deadlock.
 */
@Component
class UserCommands {

    private final Inbox inbox;
    private final Credit credit;

    UserCommands(Inbox inbox, Credit credit) {
        this.inbox = inbox;
        this.credit = credit;
    }

    @KafkaListener(topics = Topics.COMMANDS, groupId = "user-service", batch = "true", concurrency = "${emporium.credit.consumers:3}")
    void on(List<ConsumerRecord<String, Envelope>> batch) {
        inbox.receive(batch, this::lockAccounts, this::apply);
    }

    /**
     * Before a batch of several commands runs: the credit accounts they will change, locked in account
     * order. A reservation names its customer; a commit or a release reaches the account through the
     * order's reservation.
     */
    private void lockAccounts(List<Envelope> messages) {
        Set<UUID> customers = new HashSet<>();
        Set<UUID> orders = new HashSet<>();
        for (Envelope message : messages) {
            try {
                switch (message.type()) {
                    case "ReserveCredit" -> {
                        UUID customer = message.payload(ReserveCredit.class).customerId();
                        if (customer != null) {
                            customers.add(customer);
                        }
                    }
                    case "CommitCredit" -> orders.add(message.payload(CommitCredit.class).orderId());
                    case "ReleaseCredit" -> orders.add(message.payload(ReleaseCredit.class).orderId());
                    default -> {
                        // refused when it is applied
                    }
                }
            }
            catch (UnreadableMessageException e) {
                // a payload that does not fit is dead-lettered when it is applied; it changes no rows
            }
        }
        credit.lockAccounts(customers, orders);
    }

    private void apply(Envelope message) {
        switch (message.type()) {
            case "ReserveCredit" -> {
                ReserveCredit command = message.payload(ReserveCredit.class);
                credit.reserve(command.orderId(), command.customerId(), command.amount(), command.currency());
            }
            case "CommitCredit" -> credit.commit(message.payload(CommitCredit.class).orderId());
            case "ReleaseCredit" -> {
                ReleaseCredit command = message.payload(ReleaseCredit.class);
                credit.release(command.orderId(), command.reason());
            }
            default -> throw new UnreadableMessageException("user-service has no handler for " + message.type());
        }
    }
}
