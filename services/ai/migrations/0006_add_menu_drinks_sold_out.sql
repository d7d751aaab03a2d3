-- The drink's sold-out mark from menu's events (ADR 0029): the AI never puts forward a drink
-- the bar cannot make tonight. NULL on older rows reads as false; DSQL adds columns without defaults.
ALTER TABLE ai.menu_drinks ADD COLUMN IF NOT EXISTS sold_out boolean;
