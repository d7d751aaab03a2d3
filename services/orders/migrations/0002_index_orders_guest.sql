CREATE INDEX ASYNC IF NOT EXISTS orders_guest_idx ON orders.orders (user_key, created_at);
