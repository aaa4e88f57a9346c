create table orders (
    id             uuid           primary key,
    customer_id    uuid           not null,
    status         varchar(16)    not null check (status in ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
    total_amount   numeric(12, 2) not null check (total_amount >= 0),
    total_currency char(3)        not null,
    reason         varchar(500),
    placed_at      timestamptz    not null,
    version        integer        not null
);

create index orders_customer_placed_idx on orders (customer_id, placed_at desc);
