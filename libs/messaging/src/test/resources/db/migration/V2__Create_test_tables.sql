-- What the test listener's effects change.
create table counters (
    name  varchar(100) primary key,
    value integer      not null
);

create table notes (
    id   bigint       generated always as identity primary key,
    text varchar(200) not null
);
