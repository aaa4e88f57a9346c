-- The demo catalogue of the local run only (spring.flyway.locations adds db/demo in the 'local'
-- profile): never part of a production database. Repeatable, and a no-op once the products exist.
insert into products (id, sku, name, description, price_amount, price_currency, category, version) values
    ('6513270e-269e-4d37-b2a7-4de452e6b438', 'KIT-0001', 'Espresso cup', 'Porcelain, 80 ml', 7.50, 'EUR', 'kitchen', 0),
    ('1818e811-892f-402b-923f-0824128b2f33', 'KIT-0002', 'Teapot', 'Cast iron, 1 l', 34.00, 'EUR', 'kitchen', 0),
    ('81e74ef5-e8e2-4d94-8ed9-04759531985d', 'KIT-0003', 'Chef knife', 'Carbon steel, 20 cm', 89.00, 'EUR', 'kitchen', 0),
    ('6b0d549b-6f03-475a-9600-a35a099950d8', 'KIT-0004', 'Cutting board', 'End-grain oak', 45.00, 'EUR', 'kitchen', 0),
    ('6cad4a26-8d11-4ece-9738-f7d93d9c1724', 'KIT-0005', 'Pour-over kettle', 'Gooseneck, 0.9 l', 52.00, 'EUR', 'kitchen', 0),
    ('f28c105d-1fb1-4c23-90c1-92cfd3ac94af', 'KIT-0006', 'Coffee grinder', 'Hand grinder, ceramic burrs', 39.90, 'EUR', 'kitchen', 0),
    ('f29d0da9-953f-48f1-a09f-76b5a170b338', 'KIT-0007', 'Linen apron', 'Washed linen', 29.00, 'EUR', 'kitchen', 0),
    ('0cb1e29c-658c-4a14-95e6-0af593bd04cf', 'KIT-0008', 'Salt cellar', 'Marble with lid', 18.50, 'EUR', 'kitchen', 0),
    ('2217bead-dbc4-46cb-8e81-973e0becd7b0', 'GAR-0009', 'Watering can', 'Galvanised, 5 l', 32.00, 'EUR', 'garden', 0),
    ('1e27a1c0-8a6a-43ec-a4ed-e6a46b4cb242', 'GAR-0010', 'Pruning shears', 'Bypass blades', 27.50, 'EUR', 'garden', 0),
    ('2e44158b-ae97-4a94-90ed-a82f8f6d0558', 'GAR-0011', 'Seed tray set', 'Set of 6', 12.00, 'EUR', 'garden', 0),
    ('301850c5-a38f-4547-923a-736994e3bf91', 'GAR-0012', 'Garden gloves', 'Goatskin', 16.00, 'EUR', 'garden', 0),
    ('1012f037-b64c-4422-8c38-fb2918f135d2', 'GAR-0013', 'Terracotta pot', '30 cm', 14.00, 'EUR', 'garden', 0),
    ('ae2eb154-7f15-4524-b4b9-b5df9e7769b1', 'GAR-0014', 'Bird feeder', 'Cedar wood', 22.00, 'EUR', 'garden', 0),
    ('95e761d1-7731-4f10-906b-f2efc6f87718', 'BOO-0015', 'Designing Data-Intensive Applications', 'Kleppmann', 49.00, 'EUR', 'books', 0),
    ('cb5c7427-3f98-4277-8cbd-87ad5c90a958', 'BOO-0016', 'Release It!', 'Nygard, 2nd edition', 44.00, 'EUR', 'books', 0),
    ('14f4733f-3e7d-4bfb-87a2-ea20b2f14c94', 'BOO-0017', 'Domain-Driven Design', 'Evans', 59.00, 'EUR', 'books', 0),
    ('57ee05cd-e009-42c7-bebf-f20686734721', 'BOO-0018', 'Enterprise Integration Patterns', 'Hohpe, Woolf', 64.00, 'EUR', 'books', 0),
    ('12bd4ace-faec-4d38-9be4-bcfc49b64a08', 'BOO-0019', 'Building Microservices', 'Newman, 2nd edition', 54.00, 'EUR', 'books', 0),
    ('c1d3fcff-2a3a-44d4-ab0a-18e8830e07bc', 'BOO-0020', 'Microservices Patterns', 'Richardson', 49.50, 'EUR', 'books', 0),
    ('6bf46c69-7d2c-4f82-aeea-cbe226e87555', 'STA-0021', 'Notebook A5', 'Dot grid, 192 pages', 19.00, 'EUR', 'stationery', 0),
    ('c3baea9e-13de-4f86-ab10-31d0f646e1f4', 'STA-0022', 'Fountain pen', 'Steel nib, fine', 35.00, 'EUR', 'stationery', 0),
    ('98289fcd-59a5-4a7b-b1fe-e08f57124242', 'STA-0023', 'Ink bottle', 'Blue-black, 50 ml', 12.50, 'EUR', 'stationery', 0),
    ('119a72d1-74c9-4f6a-8c01-1cdd9474031b', 'STA-0024', 'Pencil set', 'Set of 12, HB to 6B', 9.90, 'EUR', 'stationery', 0),
    ('b2715945-795e-4229-851a-bd81f1d69ed6', 'STA-0025', 'Desk organiser', 'Walnut', 42.00, 'EUR', 'stationery', 0),
    ('4f426dcb-b394-4b36-bb2d-420f0f88080b', 'STA-0026', 'Washi tape', 'Set of 5', 8.00, 'EUR', 'stationery', 0),
    ('e3151288-62c3-4a4f-b774-eb5248db40af', 'OUT-0027', 'Enamel mug', '350 ml', 11.00, 'EUR', 'outdoor', 0),
    ('5affb229-7631-4992-b0ce-583505c6af07', 'OUT-0028', 'Camping stove', 'Gas, 2.6 kW', 69.00, 'EUR', 'outdoor', 0),
    ('0f17a300-7e62-4a0a-9df9-fd789c653938', 'OUT-0029', 'Headlamp', '400 lumen, rechargeable', 38.00, 'EUR', 'outdoor', 0),
    ('bd0561e6-211c-40cf-8995-2399c4aaeac1', 'OUT-0030', 'Wool socks', 'Merino, hiking', 21.00, 'EUR', 'outdoor', 0),
    ('df1582b0-eab4-47d2-a415-479c65dc9f50', 'OUT-0031', 'Water bottle', 'Steel, 750 ml', 24.00, 'EUR', 'outdoor', 0),
    ('66d22876-72fd-4202-aa96-fb1a14a0f9e7', 'OUT-0032', 'Compass', 'Baseplate, mirror', 33.00, 'EUR', 'outdoor', 0)
on conflict (id) do nothing;

-- Their opening stock, through the audit trail like any other stock change.
insert into stock (product_id, available)
select p.id, 0 from products p where p.id in ('6513270e-269e-4d37-b2a7-4de452e6b438', '1818e811-892f-402b-923f-0824128b2f33', '81e74ef5-e8e2-4d94-8ed9-04759531985d', '6b0d549b-6f03-475a-9600-a35a099950d8', '6cad4a26-8d11-4ece-9738-f7d93d9c1724', 'f28c105d-1fb1-4c23-90c1-92cfd3ac94af', 'f29d0da9-953f-48f1-a09f-76b5a170b338', '0cb1e29c-658c-4a14-95e6-0af593bd04cf', '2217bead-dbc4-46cb-8e81-973e0becd7b0', '1e27a1c0-8a6a-43ec-a4ed-e6a46b4cb242', '2e44158b-ae97-4a94-90ed-a82f8f6d0558', '301850c5-a38f-4547-923a-736994e3bf91', '1012f037-b64c-4422-8c38-fb2918f135d2', 'ae2eb154-7f15-4524-b4b9-b5df9e7769b1', '95e761d1-7731-4f10-906b-f2efc6f87718', 'cb5c7427-3f98-4277-8cbd-87ad5c90a958', '14f4733f-3e7d-4bfb-87a2-ea20b2f14c94', '57ee05cd-e009-42c7-bebf-f20686734721', '12bd4ace-faec-4d38-9be4-bcfc49b64a08', 'c1d3fcff-2a3a-44d4-ab0a-18e8830e07bc', '6bf46c69-7d2c-4f82-aeea-cbe226e87555', 'c3baea9e-13de-4f86-ab10-31d0f646e1f4', '98289fcd-59a5-4a7b-b1fe-e08f57124242', '119a72d1-74c9-4f6a-8c01-1cdd9474031b', 'b2715945-795e-4229-851a-bd81f1d69ed6', '4f426dcb-b394-4b36-bb2d-420f0f88080b', 'e3151288-62c3-4a4f-b774-eb5248db40af', '5affb229-7631-4992-b0ce-583505c6af07', '0f17a300-7e62-4a0a-9df9-fd789c653938', 'bd0561e6-211c-40cf-8995-2399c4aaeac1', 'df1582b0-eab4-47d2-a415-479c65dc9f50', '66d22876-72fd-4202-aa96-fb1a14a0f9e7')
on conflict (product_id) do nothing;

with opening (product_id, quantity) as (values
    ('6513270e-269e-4d37-b2a7-4de452e6b438', 3),
    ('1818e811-892f-402b-923f-0824128b2f33', 40),
    ('81e74ef5-e8e2-4d94-8ed9-04759531985d', 20),
    ('6b0d549b-6f03-475a-9600-a35a099950d8', 8),
    ('6cad4a26-8d11-4ece-9738-f7d93d9c1724', 3),
    ('f28c105d-1fb1-4c23-90c1-92cfd3ac94af', 20),
    ('f29d0da9-953f-48f1-a09f-76b5a170b338', 3),
    ('0cb1e29c-658c-4a14-95e6-0af593bd04cf', 20),
    ('2217bead-dbc4-46cb-8e81-973e0becd7b0', 25),
    ('1e27a1c0-8a6a-43ec-a4ed-e6a46b4cb242', 25),
    ('2e44158b-ae97-4a94-90ed-a82f8f6d0558', 8),
    ('301850c5-a38f-4547-923a-736994e3bf91', 40),
    ('1012f037-b64c-4422-8c38-fb2918f135d2', 3),
    ('ae2eb154-7f15-4524-b4b9-b5df9e7769b1', 60),
    ('95e761d1-7731-4f10-906b-f2efc6f87718', 100),
    ('cb5c7427-3f98-4277-8cbd-87ad5c90a958', 12),
    ('14f4733f-3e7d-4bfb-87a2-ea20b2f14c94', 25),
    ('57ee05cd-e009-42c7-bebf-f20686734721', 100),
    ('12bd4ace-faec-4d38-9be4-bcfc49b64a08', 8),
    ('c1d3fcff-2a3a-44d4-ab0a-18e8830e07bc', 40),
    ('6bf46c69-7d2c-4f82-aeea-cbe226e87555', 3),
    ('c3baea9e-13de-4f86-ab10-31d0f646e1f4', 40),
    ('98289fcd-59a5-4a7b-b1fe-e08f57124242', 100),
    ('119a72d1-74c9-4f6a-8c01-1cdd9474031b', 8),
    ('b2715945-795e-4229-851a-bd81f1d69ed6', 8),
    ('4f426dcb-b394-4b36-bb2d-420f0f88080b', 100),
    ('e3151288-62c3-4a4f-b774-eb5248db40af', 40),
    ('5affb229-7631-4992-b0ce-583505c6af07', 12),
    ('0f17a300-7e62-4a0a-9df9-fd789c653938', 20),
    ('bd0561e6-211c-40cf-8995-2399c4aaeac1', 20),
    ('df1582b0-eab4-47d2-a415-479c65dc9f50', 100),
    ('66d22876-72fd-4202-aa96-fb1a14a0f9e7', 25))
insert into stock_adjustments (product_id, delta, reason, adjusted_by, adjusted_at)
select o.product_id::uuid, o.quantity, 'opening stock (demo catalogue)', 'demo-seed', now() from opening o
where not exists (select 1 from stock_adjustments a where a.product_id = o.product_id::uuid);

update stock s set available = s.available + a.total
from (select product_id, sum(delta) as total from stock_adjustments where reason = 'opening stock (demo catalogue)'
      group by product_id) a
where s.product_id = a.product_id and s.available + s.reserved + s.sold = 0;
