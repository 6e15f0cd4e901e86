-- Named leases held by one server at a time (the leader lease): several servers on one database agree through them on who
-- reconciles and schedules. acquired_at is the holder's first take; a renewal moves only expires_at.
CREATE TABLE leases (
    name        TEXT NOT NULL PRIMARY KEY,
    owner       TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
