-- How many orders each guest has open, kept in the same transactions as the orders. The limit
-- is one conditional UPDATE (active < max), so it holds however many orders arrive at once.
CREATE TABLE IF NOT EXISTS orders.active_orders (
    user_key uuid PRIMARY KEY,
    active integer NOT NULL DEFAULT 0
);
GRANT SELECT ON orders.active_orders TO orders_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.active_orders TO orders_writer;
