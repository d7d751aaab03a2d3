CREATE INDEX ASYNC IF NOT EXISTS outbox_pending_idx ON {schema}.outbox (published_at, created_at);
