-- ingredients, recipe_steps and tags are JSON documents stored as text: DSQL has no array or
-- jsonb column types, but casts to jsonb at query time (see docs/decisions/0004).
CREATE TABLE IF NOT EXISTS menu.drinks (
    id uuid PRIMARY KEY,
    section_id uuid NOT NULL,
    name varchar(100) NOT NULL,
    name_key varchar(100) NOT NULL,
    description varchar(1000) NOT NULL DEFAULT '',
    ingredients text NOT NULL,
    recipe_steps text NOT NULL DEFAULT '[]',
    tags text NOT NULL DEFAULT '[]',
    image_url varchar(2048),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT drinks_name_key_unique UNIQUE (name_key)
);
GRANT SELECT ON menu.drinks TO menu_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON menu.drinks TO menu_writer;
