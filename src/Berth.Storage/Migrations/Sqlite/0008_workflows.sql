-- Applied workflows; the spec is the API's JSON. generation increases only when an apply changes the spec.
CREATE TABLE workflows (
    name       TEXT    NOT NULL PRIMARY KEY,
    spec       TEXT    NOT NULL,
    generation INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

-- Runs keep a snapshot of the spec they run, and outlive their workflow (no foreign key to workflows).
-- The lease (owner, expiry) says which server drives the run; only claim and renew write it.
CREATE TABLE runs (
    id               TEXT NOT NULL PRIMARY KEY,
    workflow_name    TEXT NOT NULL,
    spec             TEXT NOT NULL,
    inputs           TEXT NOT NULL,
    state            TEXT NOT NULL,
    started_by       TEXT NOT NULL,
    parent_run_id    TEXT NULL,
    created_at       TEXT NOT NULL,
    finished_at      TEXT NULL,
    error            TEXT NULL,
    lease_owner      TEXT NULL,
    lease_expires_at TEXT NULL
);

CREATE INDEX ix_runs_created ON runs (created_at, id);
CREATE INDEX ix_runs_workflow ON runs (workflow_name, created_at, id);
CREATE INDEX ix_runs_workflow_state ON runs (workflow_name, state, created_at, id);
-- also serves the claim, which reads only the (few) queued and running runs
CREATE INDEX ix_runs_state ON runs (state, created_at, id);
CREATE INDEX ix_runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;

-- One row per step of a run; position is the step's place in the spec, so reads return spec order.
CREATE TABLE run_steps (
    run_id       TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step_id      TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    state        TEXT    NOT NULL,
    attempt      INTEGER NOT NULL,
    started_at   TEXT    NULL,
    finished_at  TEXT    NULL,
    retry_at     TEXT    NULL,
    outputs      TEXT    NULL,
    failure      TEXT    NULL,
    cache_key    TEXT    NULL,
    container_id TEXT    NULL,
    PRIMARY KEY (run_id, step_id)
);

-- A run's progress stream; sequence counts from 1 per run and is assigned inside the write transaction.
CREATE TABLE run_events (
    run_id   TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    time     TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    step_id  TEXT    NULL,
    attempt  INTEGER NULL,
    message  TEXT    NULL,
    PRIMARY KEY (run_id, sequence)
);

-- Step results by cache key, shared across workflows; parts (name -> hash) explain a miss against earlier keys.
CREATE TABLE step_cache (
    key           TEXT NOT NULL PRIMARY KEY,
    workflow_name TEXT NOT NULL,
    step_id       TEXT NOT NULL,
    parts         TEXT NOT NULL,
    outputs       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NULL
);

CREATE INDEX ix_step_cache_step ON step_cache (workflow_name, step_id, created_at);

-- Content-addressed file contents (step output files), stored once per SHA-256 (lowercase hex).
CREATE TABLE artifacts (
    sha256  TEXT    NOT NULL PRIMARY KEY,
    size    INTEGER NOT NULL,
    content BLOB    NOT NULL
);
