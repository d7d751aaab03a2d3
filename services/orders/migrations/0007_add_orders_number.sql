-- The short number called at the bar (ADR 0029), 1 to 999, allocated from orders.order_numbers
-- in the placement transaction. NULL on orders placed before numbers existed.
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS number integer;
