package dev.emporium.order.saga;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Finds saga steps past their deadline and lets the saga retry or compensate each, in its own transaction. */
@Component
class SagaTimeouts {

    private final SagaLog saga;
    private final SagaOrchestrator placeOrder;
    private final TransactionTemplate transactions;

    SagaTimeouts(SagaLog saga, SagaOrchestrator placeOrder, TransactionTemplate transactions) {
        this.saga = saga;
        this.placeOrder = placeOrder;
        this.transactions = transactions;
    }

    @Scheduled(fixedDelayString = "${emporium.saga.timeout-check-interval:1s}")
    void check() {
        List<UUID> overdue = transactions.execute(status -> saga.overdue(Instant.now(), 100));
        if (overdue != null) {
            overdue.forEach(placeOrder::timeOut);
        }
    }
}
