CREATE INDEX ASYNC IF NOT EXISTS refresh_tokens_family_idx ON identity.refresh_tokens (family_id);
