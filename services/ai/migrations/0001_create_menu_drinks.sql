-- ai's own read model of the menu, built from menu's Drink events (it never reads menu's
-- tables). ingredients and tags are JSON arrays stored as text.
CREATE TABLE IF NOT EXISTS ai.menu_drinks (
    id uuid PRIMARY KEY,
    name varchar(100) NOT NULL,
    description varchar(1000) NOT NULL DEFAULT '',
    ingredients text NOT NULL DEFAULT '[]',
    tags text NOT NULL DEFAULT '[]',
    is_active boolean NOT NULL DEFAULT true,
    source_updated_at timestamptz NOT NULL
);
GRANT SELECT ON ai.menu_drinks TO ai_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai.menu_drinks TO ai_writer;
