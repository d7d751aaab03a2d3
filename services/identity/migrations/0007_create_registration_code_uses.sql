-- One row per use of an invite code (a numbered slot below max_uses), so a burst of guests at the
-- door inserts different rows instead of all updating one counter: under OCC that hot row made
-- registrations retry each other into long waits and 409s. The slot key keeps max_uses exact.
-- registration_codes.use_count keeps the uses counted before this table existed.
CREATE TABLE IF NOT EXISTS identity.registration_code_uses (
    code varchar(32) NOT NULL,
    slot integer NOT NULL,
    user_key uuid NOT NULL,
    used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, slot)
);
GRANT SELECT ON identity.registration_code_uses TO identity_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.registration_code_uses TO identity_writer;
