package dev.emporium.order.saga;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.emporium.order.Topics;
import dev.emporium.order.checkout.Order;
import dev.emporium.order.saga.Messages.CommitCredit;
import dev.emporium.order.saga.Messages.CommitStock;
import dev.emporium.order.saga.Messages.Line;
import dev.emporium.order.saga.Messages.OrderConfirmed;
import dev.emporium.order.saga.Messages.ReleaseCredit;
import dev.emporium.order.saga.Messages.ReleaseStock;
import dev.emporium.order.saga.Messages.ReserveCredit;
import dev.emporium.order.saga.Messages.ReserveStock;

import static dev.emporium.order.saga.SagaStep.step;

/**
 * The place-order saga, as a table. When an order is placed, every step's command leaves at once:
 * stock and credit are reserved <b>in parallel</b> (the total is known from the price list; the stock
 * reservation confirms each line's price, and refuses the order if one changed).
 * <ul>
 * <li>Every step completed: the order is CONFIRMED, each step's commit command is sent, and
 * {@code OrderConfirmed} tells the world.</li>
 * <li>A step failed (refused, or its reservation expired before the decision): every other step is
 * compensated, whether it completed or is still under way, and the order is REJECTED with the
 * reason of that step.</li>
 * <li>No reply in time: the commands of the steps still awaited are sent again (participants are
 * idempotent per order); after the last attempt every step is compensated and the order REJECTED.</li>
 * <li>Cancelled: every step is compensated.</li>
 * <li>A step completed after the order was decided without it (a late or retried reply): compensated
 * at once, not left to expire.</li>
 * </ul>
 * {@link SagaOrchestrator} does all of that the same way for every entry; adding a step is adding one.
 */
final class PlaceOrderSaga {

    static final List<SagaStep> STEPS = List.of(
            step("RESERVE_STOCK").at("inventory-service", Topics.INVENTORY_COMMANDS)
                .sends(order -> new ReserveStock(id(order),
                        order.lines().stream().map(line -> new Line(line.productId(), line.quantity(), line.unitPrice())).toList(),
                        order.total().currency()))
                .completedBy("StockReserved")
                .failedBy("StockReservationFailed", asGiven("Not enough stock")) // or a price changed: the reason says which
                .failedBy("StockReservationExpired", reason -> "The stock reservation expired before the order was confirmed")
                .compensatedBy(ReleaseStock::new, "StockReleased")
                .committedBy(CommitStock::new),
            step("RESERVE_CREDIT").at("user-service", Topics.USER_COMMANDS)
                .sends(order -> new ReserveCredit(id(order), order.customerId(), order.total().amount(), order.total().currency()))
                .completedBy("CreditReserved")
                .failedBy("CreditReservationFailed", asGiven("Not enough credit"))
                .compensatedBy(ReleaseCredit::new, "CreditReleased")
                .committedBy(CommitCredit::new));

    /** The timeline's name for what belongs to the saga as a whole: the decision, the cancellation. */
    static final String ORDER = "ORDER";

    private PlaceOrderSaga() {
    }

    /** The participant's own reason, written for the shopper (it names what is short), or this when it gave none. */
    private static Function<String, String> asGiven(String otherwise) {
        return reason -> reason == null || reason.isBlank() ? otherwise : reason;
    }

    /** What is published on {@value Topics#EVENTS} when every step is done. */
    static Object confirmed(Order order) {
        return new OrderConfirmed(id(order), order.customerId(), order.total().amount(), order.total().currency());
    }

    static UUID id(Order order) {
        return order.id().value();
    }
}
