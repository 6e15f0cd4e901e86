-- Append-only event log; AUTOINCREMENT so an id is never reused, even after the newest rows are deleted.
CREATE TABLE events (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agent_name  TEXT    NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    instance_id TEXT    NULL,
    time        TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    warning     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_events_agent_id ON events (agent_name, id);
