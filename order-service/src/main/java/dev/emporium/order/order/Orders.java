package dev.emporium.order.order;

import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

import dev.emporium.order.order.Order.OrderId;

interface Orders extends ListCrudRepository<Order, OrderId>, PagingAndSortingRepository<Order, OrderId> {

    Page<Order> findByCustomerId(UUID customerId, Pageable pageable);

    long countByStatus(Order.Status status);
}
