package dev.emporium.order.order;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

import dev.emporium.order.order.Order.OrderId;

interface Orders extends ListCrudRepository<Order, OrderId>, PagingAndSortingRepository<Order, OrderId> {

    Page<Order> findByCustomerId(UUID customerId, Pageable pageable);

    long countByStatus(Order.Status status);

    @Query("select id from orders where id in (:ids) and status <> 'PENDING'")
    List<UUID> decidedAmong(Collection<UUID> ids);
}
