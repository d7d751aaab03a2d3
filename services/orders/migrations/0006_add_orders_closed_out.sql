-- True for an order the end-of-night close-out ended (ADR 0021): it keeps a status every
-- client knows (cancelled or served), and this says no bartender chose it. NULL on older rows
-- reads as false; DSQL adds columns without defaults.
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS closed_out boolean;
