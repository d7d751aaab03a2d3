CREATE TABLE IF NOT EXISTS identity.guests (
    user_key uuid PRIMARY KEY,
    username varchar(50) NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    registration_code varchar(32) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz
);
GRANT SELECT ON identity.guests TO identity_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.guests TO identity_writer;
