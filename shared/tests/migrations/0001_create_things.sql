CREATE TABLE IF NOT EXISTS svc.things (
    id uuid PRIMARY KEY,
    counter integer NOT NULL DEFAULT 0,
    note varchar(100) NOT NULL DEFAULT ''
);
GRANT SELECT ON svc.things TO svc_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON svc.things TO svc_writer;
