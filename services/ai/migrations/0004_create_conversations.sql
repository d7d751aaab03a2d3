CREATE TABLE IF NOT EXISTS ai.conversations (
    id uuid PRIMARY KEY,
    user_key uuid NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
GRANT SELECT ON ai.conversations TO ai_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai.conversations TO ai_writer;
