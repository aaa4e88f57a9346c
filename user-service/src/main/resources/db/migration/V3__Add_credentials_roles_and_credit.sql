-- Who may log in, as what; and the store credit each customer buys against.
alter table accounts add column password_hash varchar(255);
alter table accounts add column role varchar(16) not null default 'CUSTOMER' check (role in ('CUSTOMER', 'ADMIN'));

create table credit_accounts (
    account_id   uuid           primary key references accounts (id),
    credit_limit numeric(12, 2) not null check (credit_limit >= 0),
    reserved     numeric(12, 2) not null default 0 check (reserved >= 0),
    used         numeric(12, 2) not null default 0 check (used >= 0),
    currency     char(3)        not null,
    version      integer        not null,
    check (reserved + used <= credit_limit)
);
