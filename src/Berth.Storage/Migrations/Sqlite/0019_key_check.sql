-- One value encrypted with the secrets key the store was first written with: a server given another key (a second server
-- sharing the database without BERTH_SECRETS_KEY, or a lost key file) is refused at start instead of writing values no other
-- server can read.
CREATE TABLE key_check (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    value      BLOB NOT NULL,
    created_at TEXT NOT NULL
);
