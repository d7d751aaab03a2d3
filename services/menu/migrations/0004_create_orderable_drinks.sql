-- The one declared cross-service read: orders sees a drink's id, name and availability,
-- nothing else, and never the tables behind it.
CREATE OR REPLACE VIEW menu.orderable_drinks AS
    SELECT id, name, is_active FROM menu.drinks;
GRANT SELECT ON menu.orderable_drinks TO menu_reader, menu_writer;
GRANT USAGE ON SCHEMA menu TO orders_reader, orders_writer;
GRANT SELECT ON menu.orderable_drinks TO orders_reader, orders_writer;
