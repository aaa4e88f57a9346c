-- Stock per product. The three counters only ever move together, by conditional updates that cannot
-- take any of them below zero; their sum always equals the sum of the product's adjustments.
create table stock (
    product_id          uuid    primary key references products (id),
    available           integer not null default 0 check (available >= 0),
    reserved            integer not null default 0 check (reserved >= 0),
    sold                integer not null default 0 check (sold >= 0),
    low_stock_threshold integer not null default 5 check (low_stock_threshold >= 0)
);

-- The audit trail: every change to a product's total stock, with who made it and why.
create table stock_adjustments (
    id          bigint       generated always as identity primary key,
    product_id  uuid         not null references products (id),
    delta       integer      not null check (delta <> 0),
    reason      varchar(200) not null,
    adjusted_by varchar(100) not null,
    adjusted_at timestamptz  not null
);

create index stock_adjustments_product_idx on stock_adjustments (product_id, id);

-- One reservation per order: all its lines or none.
create table reservations (
    order_id   uuid        primary key,
    status     varchar(16) not null check (status in ('RESERVED', 'COMMITTED', 'RELEASED', 'EXPIRED')),
    reason     varchar(200),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    updated_at timestamptz not null
);

create index reservations_expiry_idx on reservations (expires_at) where status = 'RESERVED';

create table reservation_lines (
    order_id   uuid    not null references reservations (order_id),
    product_id uuid    not null references products (id),
    quantity   integer not null check (quantity > 0),
    primary key (order_id, product_id)
);

-- Products created before stock existed start at zero.
insert into stock (product_id) select id from products;
