-- Observed state of instances, written by the reconciler; they die with their agent.
CREATE TABLE instances (
    instance_id     TEXT    NOT NULL PRIMARY KEY,
    agent_name      TEXT    NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,
    generation      INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    endpoint        TEXT    NULL,
    restart_count   INTEGER NOT NULL DEFAULT 0,
    exit_code       INTEGER NULL,
    message         TEXT    NULL,
    started_at      TEXT    NULL,
    next_restart_at TEXT    NULL,
    updated_at      TEXT    NOT NULL
);

CREATE INDEX ix_instances_agent_ordinal ON instances (agent_name, ordinal);
