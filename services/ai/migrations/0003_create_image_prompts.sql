CREATE TABLE IF NOT EXISTS ai.image_prompts (
    drink_id uuid PRIMARY KEY,
    prompt varchar(2000) NOT NULL,
    negative_prompt varchar(1000) NOT NULL,
    model_id varchar(100) NOT NULL,
    provider varchar(20) NOT NULL,
    generated_at timestamptz NOT NULL
);
GRANT SELECT ON ai.image_prompts TO ai_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai.image_prompts TO ai_writer;
