-- The store's identity, written by the first server to start on it: an id every server sharing the store uses where they
-- must agree (the owner label of docker agents, so a new leader adopts the containers of the one before), and one value
-- encrypted with the secrets key the store is written with, so a server given another key is refused at start instead of
-- writing values no other server can read.
CREATE TABLE store_identity (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    store_id   TEXT NOT NULL,
    key_check  BLOB NOT NULL,
    created_at TEXT NOT NULL
);
