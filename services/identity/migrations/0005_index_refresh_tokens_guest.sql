CREATE INDEX ASYNC IF NOT EXISTS refresh_tokens_guest_idx ON identity.refresh_tokens (user_key);
