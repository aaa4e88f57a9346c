package dev.emporium.order.checkout.web;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.links.Link;
import io.swagger.v3.oas.annotations.links.LinkParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.emporium.order.checkout.Order;
import dev.emporium.order.checkout.Order.OrderId;
import dev.emporium.order.checkout.OrderLine;
import dev.emporium.order.checkout.OrderManagement;
import dev.emporium.order.checkout.OrderManagement.IdempotencyKeyReusedException;
import dev.emporium.order.checkout.OrderManagement.Placement;
import dev.emporium.order.checkout.OrderManagement.Requested;
import dev.emporium.order.checkout.OrdersBusyException;
import dev.emporium.order.pricing.PricingUnavailableException;
import dev.emporium.order.pricing.UnknownProductException;
import dev.emporium.order.saga.SagaLog;
import dev.emporium.security.Tokens;
import dev.emporium.web.SortAllowList;

@RestController
@Tag(name = "Orders", description = "Placing, following and cancelling orders")
@RequestMapping("/api/orders")
class OrderController {

    private final OrderManagement orders;
    private final SagaLog saga;
    private final ObservationRegistry observations;
    private final OrderDecisions decisions;
    private final Executor executor;

    static final int MAX_WAIT_SECONDS = 20;

    /** What a list of orders may be sorted by: the API's names and the aggregate's properties. */
    static final SortAllowList SORTABLE = SortAllowList.mapping("placedAt", "placedAt", "status", "status", "total", "total.amount");

    OrderController(OrderManagement orders, SagaLog saga, ObservationRegistry observations, OrderDecisions decisions,
            @Qualifier("applicationTaskExecutor") Executor executor) {
        this.orders = orders;
        this.saga = saga;
        this.observations = observations;
        this.decisions = decisions;
        this.executor = executor;
    }

    record LineRequest(@Schema(description = "A product of the catalogue (the example is the local run's demo espresso cup)",
            example = "6513270e-269e-4d37-b2a7-4de452e6b438", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull UUID productId,
            @Schema(example = "2", requiredMode = Schema.RequiredMode.REQUIRED) @Min(1) @Max(OrderLine.MAX_QUANTITY) int quantity) {
    }

    @Schema(description = "What to order: lines of products and quantities (the same product twice is one line); prices come from the catalogue")
    record OrderRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Size(min = 1, max = 50) List<@Valid @NotNull LineRequest> lines) {
    }

    record LineResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID productId, @Schema(example = "2", requiredMode = Schema.RequiredMode.REQUIRED) int quantity,
            @Schema(description = "The catalogue's price when the order was placed", example = "24.90", requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal unitPrice) {
    }

    @Schema(description = "Money: the sum of the lines, in the catalogue's currency")
    record Total(@Schema(example = "49.80", requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal amount, @Schema(description = "ISO 4217", example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency) {
    }

    @Schema(description = "An order and where its saga stands")
    record OrderResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID id,
            @Schema(description = "PENDING: the saga is reserving stock and credit. CONFIRMED: both reserved, the order is paid for and will ship."
                    + " REJECTED: stock or credit was refused, or a participant did not answer; nothing was charged, see reason."
                    + " CANCELLED: cancelled by the customer or an administrator; what it held is given back.", requiredMode = Schema.RequiredMode.REQUIRED) Order.Status status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<LineResponse> lines, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Total total,
            @Schema(description = "Why it was rejected or cancelled, in words for the shopper; null otherwise",
                    example = "Not enough credit: 49.80 EUR needed, 20.00 EUR available", nullable = true,
                    requiredMode = Schema.RequiredMode.REQUIRED) String reason,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant placedAt) {

        static OrderResponse of(Order order) {
            return new OrderResponse(order.id().value(), order.status(),
                    order.lines().stream().map(line -> new LineResponse(line.productId(), line.quantity(), line.unitPrice())).toList(),
                    new Total(order.total().amount(), order.total().currency()), order.reason(), order.placedAt());
        }
    }

    /** The placed order's id, for the operations that take it next (the 201's links). */
    private static final String ORDER_ID = "$response.body#/id";

    /**
     * Places an order. The {@code Idempotency-Key} makes retries safe: the same key and body return the
     * same order (200), the same key with another body is refused (422).
     */
    @PostMapping
    @Operation(operationId = "placeOrder", summary = "Place an order")
    @ApiResponse(responseCode = "201", description = "The order, placed and PENDING; its URL in Location", links = {
            @Link(name = "order", operationId = "getOrder", parameters = @LinkParameter(name = "id", expression = ORDER_ID)),
            @Link(name = "timeline", operationId = "getOrderTimeline", parameters = @LinkParameter(name = "id", expression = ORDER_ID)),
            @Link(name = "cancel", operationId = "cancelOrder", parameters = @LinkParameter(name = "id", expression = ORDER_ID)) })
    @ApiResponse(responseCode = "200", description = "The order placed earlier with this Idempotency-Key and body; its URL in Location",
            headers = @Header(name = "Location", description = "The order's URL", schema = @Schema(type = "string", format = "uri-reference")),
            links = @Link(name = "order", operationId = "getOrder", parameters = @LinkParameter(name = "id", expression = ORDER_ID)))
    @ApiResponse(responseCode = "400", description = "Invalid lines or Idempotency-Key")
    @ApiResponse(responseCode = "404", description = "A product of the order is not in the catalogue (the detail names it); nothing was ordered")
    @ApiResponse(responseCode = "422", description = "This Idempotency-Key was used before for a different order")
    @ApiResponse(responseCode = "503", description = "Too many orders are waiting for their saga or being placed at once, or the catalogue"
            + " cannot price them now; nothing was ordered. Retry after `Retry-After` seconds with the same Idempotency-Key.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer", minimum = "1")))
    ResponseEntity<OrderResponse> place(
            @Parameter(description = "Your own key for this order (8 to 100 letters, digits or . _ : -; a UUID will do): a retry with the same"
                    + " key and body returns the first order instead of placing another", example = "6f1c9a52-cart-1")
            @RequestHeader("Idempotency-Key") @Pattern(regexp = "[A-Za-z0-9._:-]{8,100}",
                    message = "must be 8 to 100 letters, digits or . _ : -, e.g. a UUID") String idempotencyKey,
            @Valid @RequestBody OrderRequest request, @AuthenticationPrincipal Jwt caller) {
        Placement placement = orders.place(UUID.fromString(caller.getSubject()), idempotencyKey,
                request.lines().stream().map(line -> new Requested(line.productId(), line.quantity())).toList());
        OrderResponse body = OrderResponse.of(placement.order());
        traced(body.id());
        URI location = URI.create("/api/orders/" + body.id());
        return placement.created() ? ResponseEntity.created(location).body(body)
                : ResponseEntity.ok().location(location).body(body);
    }

    /** The caller's own orders; an administrator's view is every order. */
    @GetMapping
    @Operation(operationId = "listOrders", summary = "The caller's orders, a page at a time")
    @ApiResponse(responseCode = "200", description = "A page of orders, newest first unless sorted otherwise (placedAt, status or total)")
    PagedModel<OrderResponse> orders(
            @org.springdoc.core.annotations.ParameterObject @PageableDefault(size = 20, sort = "placedAt", direction = Sort.Direction.DESC)
            Pageable pageable,
            @AuthenticationPrincipal Jwt caller) {
        Pageable checked = SORTABLE.check(pageable);
        var page = isAdmin(caller) ? orders.orders(checked) : orders.ordersOf(UUID.fromString(caller.getSubject()), checked);
        return new PagedModel<>(page.map(OrderResponse::of));
    }

    /**
     * One order. Another customer's order does not exist for the caller: 404, not 403, so ids cannot
     * be probed. With {@code ?wait=N} (seconds, at most {@value #MAX_WAIT_SECONDS}) a PENDING order is
     * answered when the saga decides it, or after N seconds still PENDING: one request instead of a
     * client polling.
     */
    @GetMapping("/{id}")
    @Operation(operationId = "getOrder", summary = "One order, optionally waiting for the saga's decision")
    @ApiResponse(responseCode = "200", description = "The order (still PENDING if the wait ran out first)")
    @ApiResponse(responseCode = "404", description = "No such order, or not the caller's")
    @ApiResponse(responseCode = "503", description = "A PENDING order cannot be waited for now: too many requests are waiting for decisions; retry after `Retry-After` seconds, or read it without `wait`",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = "integer", minimum = "1")))
    CompletableFuture<OrderResponse> order(@PathVariable UUID id,
            @Parameter(description = "Seconds to wait for a PENDING order's decision (0: answer at once)")
            @RequestParam(name = "wait", defaultValue = "0") @Min(0) @Max(MAX_WAIT_SECONDS) int waitSeconds,
            @AuthenticationPrincipal Jwt caller) {
        if (waitSeconds == 0) {
            return CompletableFuture.completedFuture(OrderResponse.of(visible(id, caller)));
        }
        // Waiting starts before the one read: a decision committed after it completes the wait, one
        // committed before it is in what the read returns, so none is missed in between.
        // With no room to wait, the read still answers what needs no waiting (a decided order, the 404
        // of one the caller may not see); only a PENDING order of the caller's gets the 503.
        CompletableFuture<Order> decision;
        OrderDecisions.TooManyWaitsException full = null;
        try {
            decision = decisions.decision(id);
        }
        catch (OrderDecisions.TooManyWaitsException e) {
            full = e;
            decision = new CompletableFuture<>(); // waits for nothing; completing it below changes nothing
        }
        Order order;
        try {
            order = visible(id, caller);
        }
        catch (RuntimeException notTheCallers) {
            decision.complete(null);
            throw notTheCallers;
        }
        if (order.status() != Order.Status.PENDING) {
            decision.complete(order);
            return CompletableFuture.completedFuture(OrderResponse.of(order));
        }
        if (full != null) {
            throw full;
        }
        return decision.completeOnTimeout(null, waitSeconds, TimeUnit.SECONDS)
            // decided here: the order as the saga wrote it; decided elsewhere, or still PENDING after the wait: read it
            .thenApplyAsync(decided -> OrderResponse.of(decided != null ? decided : orders.order(order.id()).orElse(order)), executor);
    }

    /** Each step of the order's saga: what was sent, what came back, and when. */
    @GetMapping("/{id}/timeline")
    @Operation(operationId = "getOrderTimeline", summary = "The order's saga, step by step")
    @ApiResponse(responseCode = "200", description = "The saga's steps, oldest first")
    @ApiResponse(responseCode = "404", description = "No such order, or not the caller's")
    List<SagaLog.Entry> timeline(@PathVariable UUID id, @AuthenticationPrincipal Jwt caller) {
        visible(id, caller);
        return saga.timeline(id);
    }

    /** Cancels a PENDING or CONFIRMED order; the stock and credit it holds are given back. Cancelling twice changes nothing. */
    @PostMapping("/{id}/cancel")
    @Operation(operationId = "cancelOrder", summary = "Cancel an order")
    @ApiResponse(responseCode = "200", description = "The order, CANCELLED")
    @ApiResponse(responseCode = "404", description = "No such order, or not the caller's")
    @ApiResponse(responseCode = "409", description = "A REJECTED order cannot be cancelled")
    OrderResponse cancel(@PathVariable UUID id, @AuthenticationPrincipal Jwt caller) {
        visible(id, caller);
        return orders.cancel(new OrderId(id), "cancelled by " + (isAdmin(caller) ? "an administrator" : "the customer"))
            .map(OrderResponse::of)
            .orElseThrow(() -> notFound(id));
    }

    /** The request's span carries the order id, so Jaeger finds the trace by {@code order.id}. */
    private void traced(UUID orderId) {
        Observation request = observations.getCurrentObservation();
        if (request != null) {
            request.highCardinalityKeyValue("order.id", orderId.toString());
        }
    }

    @ExceptionHandler(PricingUnavailableException.class)
    ResponseEntity<ProblemDetail> pricingUnavailable(PricingUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "10")
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Orders cannot be priced right now (" + e.getMessage() + "); nothing was ordered, try again shortly."));
    }

    @ExceptionHandler(OrdersBusyException.class)
    ResponseEntity<ProblemDetail> busy(OrdersBusyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    @ExceptionHandler(OrderDecisions.TooManyWaitsException.class)
    ResponseEntity<ProblemDetail> tooManyWaits(OrderDecisions.TooManyWaitsException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    /**
     * An order naming a product that does not exist is a 404, as a request naming an order or a product
     * that does not exist in its path is (ADR 17): the request is well formed, what it refers to is missing.
     */
    @ExceptionHandler(UnknownProductException.class)
    ProblemDetail unknownProduct(UnknownProductException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage() + " in the catalogue; nothing was ordered.");
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail keyReused(IdempotencyKeyReusedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail illegalTransition(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    private Order visible(UUID id, Jwt caller) {
        traced(id);
        return orders.order(new OrderId(id))
            .filter(order -> isAdmin(caller) || order.customerId().toString().equals(caller.getSubject()))
            .orElseThrow(() -> notFound(id));
    }

    private static boolean isAdmin(Jwt caller) {
        return Tokens.hasRole(caller, "ADMIN");
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No order has the id " + id);
    }
}
