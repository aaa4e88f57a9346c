-- What each product costs, as order-service last learned it (ADR 15): from inventory-service's
-- ProductPriced events on inventory-prices, or from a pricing call for a product no event has named
-- yet (version -1: any event replaces it). An order is priced from here; the stock reservation
-- confirms the price, so a row that lags behind the catalogue rejects the order, never overcharges it.
create table price_list (
    product_id uuid           primary key,
    amount     numeric(12, 2) not null check (amount >= 0),
    currency   char(3)        not null,
    version    integer        not null,
    updated_at timestamptz    not null
);
