CREATE INDEX ASYNC IF NOT EXISTS push_subscriptions_guest_idx ON orders.push_subscriptions (user_key, updated_at);
