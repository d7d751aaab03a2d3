CREATE TABLE IF NOT EXISTS menu.sections (
    id uuid PRIMARY KEY,
    name varchar(100) NOT NULL,
    name_key varchar(100) NOT NULL,
    description varchar(500) NOT NULL DEFAULT '',
    display_order integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sections_name_key_unique UNIQUE (name_key)
);
GRANT SELECT ON menu.sections TO menu_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON menu.sections TO menu_writer;
