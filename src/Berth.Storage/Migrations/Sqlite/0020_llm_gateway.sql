-- The LLM gateway: applied model endpoints (the spec is the API's JSON; the provider key stays a ${secret:NAME} reference), and
-- one row per call through /llm/{endpoint}/. A call's row is written before it goes out ('reserved', holding the estimate
-- a budget is checked against) and settled with the tokens and cost the answer reported, so a call that cannot be recorded
-- is never sent. Cost is in billionths of the price table's currency, so sums are exact on both engines.
CREATE TABLE model_endpoints (
    name       TEXT NOT NULL PRIMARY KEY,
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE llm_calls (
    id                TEXT NOT NULL PRIMARY KEY,
    started_at        TEXT NOT NULL,
    finished_at       TEXT NULL,
    state             TEXT NOT NULL,
    endpoint          TEXT NOT NULL,
    served_by         TEXT NULL,
    provider          TEXT NOT NULL,
    operation         TEXT NOT NULL,
    model             TEXT NOT NULL,
    upstream_model    TEXT NULL,
    caller            TEXT NOT NULL,
    agent             TEXT NULL,
    token_id          TEXT NULL,
    run_id            TEXT NULL,
    step_id           TEXT NULL,
    status            INTEGER NULL,
    streamed          INTEGER NOT NULL,
    cache_hit         INTEGER NOT NULL,
    attempts          INTEGER NOT NULL,
    failovers         TEXT NULL,
    error             TEXT NULL,
    prompt_tokens     INTEGER NOT NULL,
    cached_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cost_nanos        INTEGER NOT NULL,
    reserved_tokens   INTEGER NOT NULL,
    reserved_nanos    INTEGER NOT NULL,
    latency_us        INTEGER NULL
);

CREATE INDEX ix_llm_calls_started ON llm_calls (started_at);
CREATE INDEX ix_llm_calls_agent ON llm_calls (agent, started_at) WHERE agent IS NOT NULL;
CREATE INDEX ix_llm_calls_run ON llm_calls (run_id) WHERE run_id IS NOT NULL;

-- Budgets on LLM calls, per agent and UTC day or month: a call is reserved only while what the window's calls used (settled
-- ones as reported, those in flight at their estimate) plus its own estimate stays within every limit.
CREATE TABLE llm_budgets (
    scope      TEXT NOT NULL,
    subject    TEXT NOT NULL,
    period     TEXT NOT NULL,
    max_tokens INTEGER NULL,
    max_nanos  INTEGER NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, subject, period)
);

-- Answers of endpoints with cache.enabled, by a SHA-256 of the endpoint, the path and the body sent; served until expires_at.
CREATE TABLE llm_cache (
    key          TEXT NOT NULL PRIMARY KEY,
    endpoint     TEXT NOT NULL,
    content_type TEXT NULL,
    body         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);

CREATE INDEX ix_llm_cache_expires ON llm_cache (expires_at);

-- A token Berth mints for one workflow step's call to an agent names the run and step, so the LLM calls the agent makes with
-- it are attributed to them by Berth, never by a header the agent could set.
ALTER TABLE tokens ADD COLUMN run_id TEXT NULL;
ALTER TABLE tokens ADD COLUMN step_id TEXT NULL;
