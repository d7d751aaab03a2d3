-- The night's order counter (ADR 0029): one row, moved by a conditional UPDATE in the
-- placement transaction. DSQL has no SEQUENCE, and a sequence would not roll back with a
-- retried transaction anyway; two placements writing this row conflict (40001) and the loser
-- is retried with the next number, so no two orders of a night share one.
CREATE TABLE IF NOT EXISTS orders.order_numbers (
    counter varchar(20) PRIMARY KEY,
    last_number integer NOT NULL
);
GRANT SELECT ON orders.order_numbers TO orders_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.order_numbers TO orders_writer;
