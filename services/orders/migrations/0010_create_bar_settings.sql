-- The bar's settings, one row (ADR 0029): whether guests may order, the message they see and
-- the wait colours every display shares. No row yet reads as the defaults.
CREATE TABLE IF NOT EXISTS orders.bar_settings (
    bar varchar(20) PRIMARY KEY,
    ordering varchar(20) NOT NULL,
    message varchar(200) NOT NULL,
    reopens_at timestamptz,
    wait_warn_seconds integer NOT NULL,
    wait_late_seconds integer NOT NULL,
    updated_at timestamptz NOT NULL
);
GRANT SELECT ON orders.bar_settings TO orders_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.bar_settings TO orders_writer;
