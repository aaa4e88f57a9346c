-- The place-order saga reserves stock and credit in parallel (ADR 10): a running saga lists the steps
-- whose replies it still awaits; step says only whether it runs. Sagas under way keep their place: one
-- that was reserving stock awaits both steps (its credit command leaves with the next retry), one that
-- was reserving credit awaits that step alone.
alter table order_sagas drop constraint order_sagas_step_check;
alter table order_sagas add column awaiting varchar(32)[] not null default '{}';
update order_sagas set awaiting = case step
        when 'RESERVING_STOCK' then '{RESERVE_STOCK,RESERVE_CREDIT}'::varchar[]
        when 'RESERVING_CREDIT' then '{RESERVE_CREDIT}'::varchar[]
        else '{}'::varchar[] end,
    step = case when step = 'DONE' then 'DONE' else 'RUNNING' end;
alter table order_sagas add constraint order_sagas_step_check check (step in ('RUNNING', 'DONE'));

-- The timeline names the step a line belongs to, and ORDER for the saga's own lines.
update saga_timeline set step = case step
        when 'RESERVING_STOCK' then 'RESERVE_STOCK'
        when 'RESERVING_CREDIT' then 'RESERVE_CREDIT'
        else 'ORDER' end
    where step in ('RESERVING_STOCK', 'RESERVING_CREDIT', 'DONE');
