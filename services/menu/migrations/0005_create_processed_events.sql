-- Consumers are idempotent on metadata.event_id (menu consumes ai's ImageGenerated).
CREATE TABLE IF NOT EXISTS menu.processed_events (
    event_id uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON menu.processed_events TO menu_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON menu.processed_events TO menu_writer;
