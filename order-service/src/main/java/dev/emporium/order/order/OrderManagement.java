package dev.emporium.order.order;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.order.order.Order.OrderId;

/** The order use cases; the only way in. */
@Service
@Transactional(readOnly = true)
public class OrderManagement {

    private final Orders orders;

    OrderManagement(Orders orders) {
        this.orders = orders;
    }

    public Page<Order> orders(Pageable pageable) {
        return orders.findAll(pageable);
    }

    public Page<Order> ordersOf(java.util.UUID customerId, Pageable pageable) {
        return orders.findByCustomerId(customerId, pageable);
    }

    public Optional<Order> order(OrderId id) {
        return orders.findById(id);
    }
}
