-- What was ordered, at the price it had when the order was placed.
create table order_lines (
    order_id   uuid           not null references orders (id),
    line_no    integer        not null,
    product_id uuid           not null,
    quantity   integer        not null check (quantity > 0),
    unit_price numeric(12, 2) not null check (unit_price >= 0),
    primary key (order_id, line_no)
);

-- One order per customer and Idempotency-Key; the hash tells a retry from a different request.
create table idempotency_keys (
    customer_id     uuid         not null,
    idempotency_key varchar(100) not null,
    request_hash    varchar(64)  not null,
    order_id        uuid         not null references orders (id) deferrable initially deferred, -- the order is saved after its key is claimed
    created_at      timestamptz  not null,
    primary key (customer_id, idempotency_key)
);

-- Where each order's place-order saga stands, and when its current step times out.
create table order_sagas (
    order_id   uuid        primary key references orders (id),
    step       varchar(32) not null check (step in ('RESERVING_STOCK', 'RESERVING_CREDIT', 'DONE')),
    attempts   integer     not null,
    deadline   timestamptz,
    updated_at timestamptz not null
);

create index order_sagas_deadline_idx on order_sagas (deadline) where step <> 'DONE';

-- The saga's story, for learners and operators: GET /api/orders/{id}/timeline.
create table saga_timeline (
    id       bigint       generated always as identity primary key,
    order_id uuid         not null references orders (id),
    at       timestamptz  not null,
    step     varchar(32)  not null,
    event    varchar(500) not null
);

create index saga_timeline_order_idx on saga_timeline (order_id, id);
