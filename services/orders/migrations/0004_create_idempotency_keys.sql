-- The same Idempotency-Key from the same guest within 24 h returns the first order. The
-- primary key, not a read-then-insert, decides which of two simultaneous requests wins.
CREATE TABLE IF NOT EXISTS orders.idempotency_keys (
    user_key uuid NOT NULL,
    idempotency_key varchar(100) NOT NULL,
    order_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_key, idempotency_key)
);
GRANT SELECT ON orders.idempotency_keys TO orders_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.idempotency_keys TO orders_writer;
