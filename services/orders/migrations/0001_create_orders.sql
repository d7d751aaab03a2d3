-- drink_name is copied at order time: an order keeps the name it was placed with even if the
-- drink is renamed or deleted later.
CREATE TABLE IF NOT EXISTS orders.orders (
    id uuid PRIMARY KEY,
    user_key uuid NOT NULL,
    username varchar(50) NOT NULL,
    drink_id uuid NOT NULL,
    drink_name varchar(100) NOT NULL,
    quantity integer NOT NULL,
    notes varchar(200) NOT NULL DEFAULT '',
    status varchar(20) NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    ready_at timestamptz,
    completed_at timestamptz
);
GRANT SELECT ON orders.orders TO orders_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.orders TO orders_writer;
