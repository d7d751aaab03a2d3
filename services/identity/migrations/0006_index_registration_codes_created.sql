CREATE INDEX ASYNC IF NOT EXISTS registration_codes_created_idx ON identity.registration_codes (created_at);
