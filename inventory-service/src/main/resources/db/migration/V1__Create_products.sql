create table products (
    id             uuid          primary key,
    sku            varchar(64)   not null,
    name           varchar(200)  not null,
    description    varchar(2000),
    price_amount   numeric(12, 2) not null check (price_amount >= 0),
    price_currency char(3)       not null,
    category       varchar(100),
    version        integer       not null
);

create unique index products_sku_uk on products (upper(sku));
