-- Credit held for an order by the place-order saga: reserved, then committed (used) or released.
create table credit_reservations (
    order_id   uuid           primary key,
    account_id uuid           references accounts (id),
    amount     numeric(12, 2) not null check (amount >= 0),
    currency   char(3)        not null,
    status     varchar(16)    not null check (status in ('RESERVED', 'COMMITTED', 'RELEASED')),
    reason     varchar(200),
    created_at timestamptz    not null,
    updated_at timestamptz    not null
);

-- Optimistic locking for every writer: credit is also changed by plain conditional updates.
alter table credit_accounts alter column version set default 0;
