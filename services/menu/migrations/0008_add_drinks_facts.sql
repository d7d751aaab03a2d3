-- A drink's facts (ADR 0032): what its ingredients contain and which diets it suits, derived
-- from the ingredient vocabulary on every write and stored as JSON text, so the public menu
-- document and the `suitable_for` filter are built by the database. NULL on rows from before
-- the column until the menu's refresh_facts derives them; DSQL adds columns without defaults.
ALTER TABLE menu.drinks ADD COLUMN IF NOT EXISTS facts text;
