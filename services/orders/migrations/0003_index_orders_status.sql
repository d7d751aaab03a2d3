CREATE INDEX ASYNC IF NOT EXISTS orders_status_idx ON orders.orders (status, created_at);
