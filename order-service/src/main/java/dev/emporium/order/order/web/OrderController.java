package dev.emporium.order.order.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.emporium.order.order.Order;
import dev.emporium.order.order.Order.OrderId;
import dev.emporium.order.order.OrderManagement;

@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderManagement orders;

    OrderController(OrderManagement orders) {
        this.orders = orders;
    }

    @GetMapping
    PagedModel<OrderResponse> orders(@PageableDefault(size = 20, sort = "placedAt", direction = Sort.Direction.DESC) Pageable pageable) {
        return new PagedModel<>(orders.orders(pageable).map(OrderResponse::of));
    }

    @GetMapping("/{id}")
    OrderResponse order(@PathVariable UUID id) {
        return orders.order(new OrderId(id))
            .map(OrderResponse::of)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order has the id " + id));
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
