-- One value encrypted with the secrets key the store was first written with: a server given another key is refused at
-- start instead of writing values the other servers cannot read.
CREATE TABLE key_check (
    id         integer NOT NULL PRIMARY KEY CHECK (id = 1),
    value      bytea NOT NULL,
    created_at text COLLATE "C" NOT NULL
);
