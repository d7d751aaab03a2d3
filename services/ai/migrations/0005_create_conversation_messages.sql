CREATE TABLE IF NOT EXISTS ai.conversation_messages (
    conversation_id uuid NOT NULL,
    seq integer NOT NULL,
    role varchar(20) NOT NULL,
    text varchar(4000) NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
GRANT SELECT ON ai.conversation_messages TO ai_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai.conversation_messages TO ai_writer;
