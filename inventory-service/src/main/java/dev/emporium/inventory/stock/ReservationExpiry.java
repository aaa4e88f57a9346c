package dev.emporium.inventory.stock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Looks for reservations past their time to live, so no stock stays held by an order that went quiet. */
@Component
class ReservationExpiry {

    private static final int BATCH = 100;

    private final Inventory inventory;

    ReservationExpiry(Inventory inventory) {
        this.inventory = inventory;
    }

    @Scheduled(fixedDelayString = "${emporium.inventory.expiry-check-interval:5s}")
    void expireOverdue() {
        while (inventory.expireOverdue(BATCH) == BATCH) {
            // a full batch: there may be more
        }
    }
}
