CREATE INDEX ASYNC IF NOT EXISTS things_note_idx ON svc.things (note);
