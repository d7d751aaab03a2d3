-- What menu derived from each drink's ingredients (issue 17, ADR 0033), as menu's Drink events
-- carry it: {"contains", "unknown_ingredients", "suitable_for"} as JSON text. NULL on rows from
-- older events reads as "every ingredient unknown"; DSQL adds columns without defaults.
ALTER TABLE ai.menu_drinks ADD COLUMN IF NOT EXISTS facts text;
