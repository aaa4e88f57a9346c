package dev.emporium.order.order;

import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

import dev.emporium.order.order.Order.OrderId;

interface Orders extends ListCrudRepository<Order, OrderId>, PagingAndSortingRepository<Order, OrderId> {
}
