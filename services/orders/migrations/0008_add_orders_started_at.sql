-- When the order last went to preparing (ADR 0029): the kitchen display's "since started".
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS started_at timestamptz;
