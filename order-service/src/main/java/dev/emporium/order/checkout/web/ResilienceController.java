package dev.emporium.order.checkout.web;

import java.util.Comparator;
import java.util.List;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.emporium.order.checkout.OrderAdmission;
import dev.emporium.web.Access;

/**
 * What protects order-service now, for the administrator's page: the circuit breaker and bulkhead
 * around its one synchronous call (pricing at inventory-service), the bulkhead of placements under way
 * ({@code order-placement}), and the order admission limit. user-service and inventory-service call no
 * other service synchronously, so they have none.
 */
@RestController
@Tag(name = "Resilience", description = "Circuit breakers, bulkheads and the order admission limit, as they are now")
@Access(Access.Level.ADMINISTRATOR)
class ResilienceController {

    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final OrderAdmission admission;

    ResilienceController(CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads, OrderAdmission admission) {
        this.breakers = breakers;
        this.bulkheads = bulkheads;
        this.admission = admission;
    }

    @Schema(description = "A circuit breaker of this instance and its sliding window")
    record Breaker(@Schema(example = "inventory-pricing", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "CLOSED: calls go through. OPEN: calls are refused at once. HALF_OPEN: a few trial calls decide.",
                    example = "CLOSED", requiredMode = Schema.RequiredMode.REQUIRED) CircuitBreaker.State state,
            @Schema(description = "Percent of the window's calls that failed; null until the window holds its minimum number of calls",
                    example = "0.0", nullable = true) Float failureRatePercent,
            @Schema(description = "Percent of the window's calls slower than the slow-call threshold; null until the minimum is reached",
                    example = "0.0", nullable = true) Float slowCallRatePercent,
            @Schema(description = "Calls in the sliding window", example = "12", requiredMode = Schema.RequiredMode.REQUIRED) int bufferedCalls,
            @Schema(description = "Failed calls in the sliding window", example = "0", requiredMode = Schema.RequiredMode.REQUIRED) int failedCalls,
            @Schema(description = "Calls refused because the breaker was open, since the service started", example = "0",
                    requiredMode = Schema.RequiredMode.REQUIRED) long notPermittedCalls) {
    }

    @Schema(description = "A bulkhead of this instance: how many calls may run at once")
    record Bulkhead(@Schema(example = "inventory-pricing", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(example = "20", requiredMode = Schema.RequiredMode.REQUIRED) int maxConcurrentCalls,
            @Schema(example = "20", requiredMode = Schema.RequiredMode.REQUIRED) int availableConcurrentCalls) {
    }

    @Schema(description = "How many orders may wait for their saga before new ones are refused with 503")
    record Admission(@Schema(description = "The limit now", example = "100", requiredMode = Schema.RequiredMode.REQUIRED) int limit,
            @Schema(description = "The most the adaptive limit may grow to", example = "1000", requiredMode = Schema.RequiredMode.REQUIRED) int maxPending,
            @Schema(description = "Orders PENDING as this instance last counted them, plus those it admitted since", example = "3",
                    requiredMode = Schema.RequiredMode.REQUIRED) long pending,
            @Schema(description = "Whether the limit follows how fast the sagas decide", requiredMode = Schema.RequiredMode.REQUIRED) boolean adaptive) {
    }

    @Schema(description = "What protects this instance of order-service now")
    record Resilience(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Breaker> circuitBreakers,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Bulkhead> bulkheads,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Admission admission) {
    }

    @GetMapping("/api/orders/resilience")
    @Operation(operationId = "getResilience", summary = "Circuit breakers, bulkheads and the order admission limit, as they are now",
            description = "As this instance of order-service sees them (each instance has its own breakers).")
    @ApiResponse(responseCode = "200", description = "The breakers, bulkheads and admission limit")
    Resilience now() {
        List<Breaker> breakerList = breakers.getAllCircuitBreakers().stream()
            .sorted(Comparator.comparing(CircuitBreaker::getName))
            .map(breaker -> {
                CircuitBreaker.Metrics metrics = breaker.getMetrics();
                return new Breaker(breaker.getName(), breaker.getState(), percent(metrics.getFailureRate()),
                        percent(metrics.getSlowCallRate()), metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
                        metrics.getNumberOfNotPermittedCalls());
            })
            .toList();
        List<Bulkhead> bulkheadList = bulkheads.getAllBulkheads().stream()
            .sorted(Comparator.comparing(io.github.resilience4j.bulkhead.Bulkhead::getName))
            .map(bulkhead -> new Bulkhead(bulkhead.getName(), bulkhead.getBulkheadConfig().getMaxConcurrentCalls(),
                    bulkhead.getMetrics().getAvailableConcurrentCalls()))
            .toList();
        OrderAdmission.Now now = admission.now();
        return new Resilience(breakerList, bulkheadList, new Admission(now.limit(), now.maxPending(), now.pending(), now.adaptive()));
    }

    /** Resilience4j reports -1 while the window holds fewer calls than its minimum. */
    private static Float percent(float rate) {
        return rate < 0 ? null : rate;
    }
}
