-- Each assistant message keeps the ids of the drinks it suggested (a JSON array as text), so
-- GET /chat/{conversation_id} shows the conversation again with its "Order" buttons (issue 17).
-- NULL on older rows reads as none; DSQL adds columns without defaults.
ALTER TABLE ai.conversation_messages ADD COLUMN IF NOT EXISTS suggested_drink_ids text;
