-- Consumers are idempotent on metadata.event_id.
CREATE TABLE IF NOT EXISTS ai.processed_events (
    event_id uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON ai.processed_events TO ai_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai.processed_events TO ai_writer;
