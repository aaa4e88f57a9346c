package dev.emporium.order.order.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.emporium.order.order.Order;
import dev.emporium.order.order.Order.OrderId;
import dev.emporium.order.order.OrderManagement;
import dev.emporium.security.Tokens;

@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderManagement orders;

    OrderController(OrderManagement orders) {
        this.orders = orders;
    }

    /** The caller's own orders; an administrator's view is every order. */
    @GetMapping
    PagedModel<OrderResponse> orders(@PageableDefault(size = 20, sort = "placedAt", direction = Sort.Direction.DESC) Pageable pageable,
            @AuthenticationPrincipal Jwt caller) {
        var page = isAdmin(caller) ? orders.orders(pageable) : orders.ordersOf(UUID.fromString(caller.getSubject()), pageable);
        return new PagedModel<>(page.map(OrderResponse::of));
    }

    /** Another customer's order does not exist for the caller: 404, not 403, so ids cannot be probed. */
    @GetMapping("/{id}")
    OrderResponse order(@PathVariable UUID id, @AuthenticationPrincipal Jwt caller) {
        return orders.order(new OrderId(id))
            .filter(order -> isAdmin(caller) || order.customerId().toString().equals(caller.getSubject()))
            .map(OrderResponse::of)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order has the id " + id));
    }

    private static boolean isAdmin(Jwt caller) {
        java.util.List<String> roles = caller.getClaimAsStringList(Tokens.ROLES);
        return roles != null && roles.contains("ADMIN");
    }

    record OrderResponse(UUID id, Order.Status status, Total total, String reason, Instant placedAt) {

        static OrderResponse of(Order order) {
            return new OrderResponse(order.id().value(), order.status(),
                    new Total(order.total().amount(), order.total().currency()), order.reason(), order.placedAt());
        }
    }

    record Total(BigDecimal amount, String currency) {
    }
}
