-- The transactional outbox every service writes its events to (see barkeep.events).
-- `{schema}` is the owning service's schema; the runner fills it in.
CREATE TABLE IF NOT EXISTS {schema}.outbox (
    event_id uuid PRIMARY KEY,
    target varchar(20) NOT NULL,
    topic varchar(200) NOT NULL,
    payload text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts integer NOT NULL DEFAULT 0
);
GRANT SELECT ON {schema}.outbox TO {schema}_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.outbox TO {schema}_writer;
