-- The messaging backbone's tables (libs/messaging). Each service has this same migration.

-- Messages written in the transaction of the change that caused them; the relay publishes them in
-- id order and stamps sent_at.
create table outbox (
    id             bigint       generated always as identity primary key,
    message_id     uuid         not null unique,
    topic          varchar(249) not null,
    message_key    varchar(255) not null,
    type           varchar(100) not null,
    correlation_id varchar(255),
    occurred_at    timestamptz  not null,
    envelope       jsonb        not null,
    headers        jsonb        not null default '{}',
    sent_at        timestamptz
);

create index outbox_pending_idx on outbox (id) where sent_at is null;
create index outbox_sent_at_idx on outbox (sent_at) where sent_at is not null;

-- Ids of the messages this service has applied, written in the transaction of their effect.
create table inbox (
    message_id     uuid         primary key,
    type           varchar(100) not null,
    correlation_id varchar(255),
    received_at    timestamptz  not null
);

create index inbox_received_at_idx on inbox (received_at);
