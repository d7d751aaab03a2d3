-- Each guest's Web Push subscriptions (ADR 0036): the browser's endpoint and the keys a
-- message is encrypted for. The id is derived from the endpoint (uuid5), so an endpoint has
-- one row, whoever subscribed it last, without a unique index on a 2,000-character column.
CREATE TABLE IF NOT EXISTS orders.push_subscriptions (
    id uuid PRIMARY KEY,
    user_key uuid NOT NULL,
    endpoint varchar(2000) NOT NULL,
    p256dh varchar(100) NOT NULL,
    auth varchar(50) NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
GRANT SELECT ON orders.push_subscriptions TO orders_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.push_subscriptions TO orders_writer;
