create table accounts (
    id      uuid         primary key,
    email   varchar(320) not null check (email = lower(email)),
    name    varchar(200) not null,
    version integer      not null
);

create unique index accounts_email_uk on accounts (email);
