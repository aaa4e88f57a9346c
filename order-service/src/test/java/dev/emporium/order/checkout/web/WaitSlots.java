package dev.emporium.order.checkout.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.springframework.context.ApplicationContext;

/** For tests outside this package: fills an instance's waiting slots, as many waiting requests would. */
public final class WaitSlots {

    private WaitSlots() {
    }

    /** Takes every free slot; complete the returned futures to give them back. */
    public static List<CompletableFuture<?>> takeAll(ApplicationContext context) {
        OrderDecisions decisions = context.getBean(OrderDecisions.class);
        List<CompletableFuture<?>> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(decisions.decision(UUID.randomUUID()));
            }
            catch (OrderDecisions.TooManyWaitsException full) {
                return taken;
            }
        }
    }
}
