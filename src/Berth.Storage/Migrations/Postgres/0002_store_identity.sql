-- The store's identity, written by the first server to start on it: an id the servers sharing the store agree on (the
-- owner label of docker agents), and one value encrypted with the secrets key the store is written with.
CREATE TABLE store_identity (
    id         integer NOT NULL PRIMARY KEY CHECK (id = 1),
    store_id   text COLLATE "C" NOT NULL,
    key_check  bytea NOT NULL,
    created_at text COLLATE "C" NOT NULL
);
