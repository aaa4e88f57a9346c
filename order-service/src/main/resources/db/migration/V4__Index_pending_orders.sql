-- Admission control counts the orders still waiting for their saga several times a second: a small
-- partial index holds just those, however many orders the shop has decided.
create index orders_pending_idx on orders (placed_at) where status = 'PENDING';
