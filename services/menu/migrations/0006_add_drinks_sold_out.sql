-- A drink the bar has run out of for now (ADR 0029): it stays on the menu, marked, and orders
-- refuses it. NULL on older rows reads as false; DSQL adds columns without defaults.
ALTER TABLE menu.drinks ADD COLUMN IF NOT EXISTS sold_out boolean;
