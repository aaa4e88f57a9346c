package dev.emporium.order.checkout;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

import dev.emporium.order.checkout.Order.OrderId;

interface Orders extends ListCrudRepository<Order, OrderId>, PagingAndSortingRepository<Order, OrderId> {

    Page<Order> findByCustomerId(UUID customerId, Pageable pageable);

    /** Orders per status, in one pass over the table (a status nobody is in has no row). */
    @Query("select status, count(*) as orders from orders group by status")
    List<StatusCount> countEachStatus();

    record StatusCount(Order.Status status, long orders) {
    }

    /**
     * Locks the order's row until the transaction ends (waiting for one that holds it), so that what is
     * read next is its latest version and nobody changes it meanwhile.
     */
    @Query("select id from orders where id = :id for update")
    Optional<UUID> lockRow(UUID id);

    /**
     * Locks the order's saga row: the saga takes that lock before it writes the order, so whoever writes
     * an order outside the saga takes the two in the same order (saga row, then order row), or two
     * transactions could each hold one and wait for the other.
     */
    @Query("select order_id from order_sagas where order_id = :id for update")
    Optional<UUID> lockSagaRow(UUID id);

    /** The orders still waiting for their saga (a partial index holds just these). */
    @Query("select count(*) from orders where status = 'PENDING'")
    long countPending();

    @Query("select id from orders where id in (:ids) and status <> 'PENDING'")
    List<UUID> decidedAmong(Collection<UUID> ids);
}
