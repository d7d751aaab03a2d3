-- The vocabulary VERSION a drink's stored facts were derived with (ADR 0032): refresh_facts
-- derives again those of another version (or none). A migration of its own: one DDL each.
ALTER TABLE menu.drinks ADD COLUMN IF NOT EXISTS facts_version integer;
