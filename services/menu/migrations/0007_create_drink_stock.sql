-- The second declared cross-service read (ADR 0005, ADR 0029): orders sees whether a drink is
-- sold out. A view of its own, not a new column of orderable_drinks: replacing a view that
-- concurrent migrators may still be creating with its old columns fails ("cannot drop columns
-- from view"), and orders' reads of the old view keep working unchanged.
CREATE OR REPLACE VIEW menu.drink_stock AS
    SELECT id AS drink_id, coalesce(sold_out, false) AS sold_out FROM menu.drinks;
GRANT SELECT ON menu.drink_stock TO menu_reader, menu_writer;
GRANT SELECT ON menu.drink_stock TO orders_reader, orders_writer;
