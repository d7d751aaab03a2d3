CREATE INDEX ASYNC IF NOT EXISTS drinks_section_idx ON menu.drinks (section_id);
