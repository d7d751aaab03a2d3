-- Invite codes. A use is consumed with one conditional UPDATE, so max_uses holds under any
-- concurrency: use_count < max_uses AND expires_at > now() AND revoked_at IS NULL.
CREATE TABLE IF NOT EXISTS identity.registration_codes (
    code varchar(32) PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    max_uses integer NOT NULL,
    use_count integer NOT NULL DEFAULT 0,
    revoked_at timestamptz,
    notes varchar(200) NOT NULL DEFAULT '',
    created_by varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON identity.registration_codes TO identity_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.registration_codes TO identity_writer;
