package dev.emporium.order.order.web;

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
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
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

import dev.emporium.order.order.Order;
import dev.emporium.order.order.Order.OrderId;
import dev.emporium.order.order.OrderLine;
import dev.emporium.order.order.OrderManagement;
import dev.emporium.order.order.OrderManagement.IdempotencyKeyReusedException;
import dev.emporium.order.order.OrderManagement.Placement;
import dev.emporium.order.order.OrderManagement.Requested;
import dev.emporium.order.order.OrdersBusyException;
import dev.emporium.order.pricing.PricingUnavailableException;
import dev.emporium.order.pricing.UnknownProductException;
import dev.emporium.order.saga.SagaLog;
import dev.emporium.security.Tokens;
import dev.emporium.web.SortAllowList;

@RestController
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

    record LineRequest(@NotNull UUID productId, @Min(1) @Max(OrderLine.MAX_QUANTITY) int quantity) {
    }

    record OrderRequest(@NotEmpty @Size(max = 50) List<@Valid @NotNull LineRequest> lines) {
    }

    record LineResponse(UUID productId, int quantity, BigDecimal unitPrice) {
    }

    record Total(BigDecimal amount, String currency) {
    }

    record OrderResponse(UUID id, Order.Status status, List<LineResponse> lines, Total total, String reason, Instant placedAt) {

        static OrderResponse of(Order order) {
            return new OrderResponse(order.id().value(), order.status(),
                    order.lines().stream().map(line -> new LineResponse(line.productId(), line.quantity(), line.unitPrice())).toList(),
                    new Total(order.total().amount(), order.total().currency()), order.reason(), order.placedAt());
        }
    }

    /**
     * Places an order. The {@code Idempotency-Key} makes retries safe: the same key and body return the
     * same order (200), the same key with another body is refused (422).
     */
    @PostMapping
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "The order, placed and PENDING; its URL in Location")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200",
            description = "The order placed earlier with this Idempotency-Key and body; its URL in Location")
    ResponseEntity<OrderResponse> place(
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
    CompletableFuture<OrderResponse> order(@PathVariable UUID id,
            @RequestParam(name = "wait", defaultValue = "0") @Min(0) @Max(MAX_WAIT_SECONDS) int waitSeconds,
            @AuthenticationPrincipal Jwt caller) {
        Order order = visible(id, caller);
        if (waitSeconds == 0 || order.status() != Order.Status.PENDING) {
            return CompletableFuture.completedFuture(OrderResponse.of(order));
        }
        CompletableFuture<Order> decision = decisions.decision(id);
        Order current = orders.order(order.id()).orElse(order);
        if (current.status() != Order.Status.PENDING) {
            decision.complete(current); // decided between the first read and the wait: nothing to wait for
            return CompletableFuture.completedFuture(OrderResponse.of(current));
        }
        return decision.completeOnTimeout(null, waitSeconds, TimeUnit.SECONDS)
            // decided here: the order as the saga wrote it; decided elsewhere, or still PENDING after the wait: read it
            .thenApplyAsync(decided -> OrderResponse.of(decided != null ? decided : orders.order(order.id()).orElse(order)), executor);
    }

    /** Each step of the order's saga: what was sent, what came back, and when. */
    @GetMapping("/{id}/timeline")
    List<SagaLog.Entry> timeline(@PathVariable UUID id, @AuthenticationPrincipal Jwt caller) {
        visible(id, caller);
        return saga.timeline(id);
    }

    @PostMapping("/{id}/cancel")
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

    @ExceptionHandler(UnknownProductException.class)
    ProblemDetail unknownProduct(UnknownProductException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
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
