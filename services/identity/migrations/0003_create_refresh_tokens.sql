-- Only the SHA-256 of a refresh token is stored. A family is one sign-in's chain of
-- rotations; presenting a token that was already rotated revokes its whole family.
CREATE TABLE IF NOT EXISTS identity.refresh_tokens (
    token_hash varchar(64) PRIMARY KEY,
    family_id uuid NOT NULL,
    user_key uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    rotated_at timestamptz,
    revoked_at timestamptz
);
GRANT SELECT ON identity.refresh_tokens TO identity_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.refresh_tokens TO identity_writer;
