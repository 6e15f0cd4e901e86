-- The LLM gateway: applied model endpoints and one row per call (written 'reserved' before the call goes out, settled after).
-- Cost is in billionths of the price table's currency, so sums are exact on both engines.
CREATE TABLE model_endpoints (
    name       text COLLATE "C" NOT NULL PRIMARY KEY,
    spec       text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL
);

CREATE TABLE llm_calls (
    id                text COLLATE "C" NOT NULL PRIMARY KEY,
    started_at        text COLLATE "C" NOT NULL,
    finished_at       text COLLATE "C" NULL,
    state             text COLLATE "C" NOT NULL,
    endpoint          text COLLATE "C" NOT NULL,
    served_by         text COLLATE "C" NULL,
    provider          text COLLATE "C" NOT NULL,
    operation         text COLLATE "C" NOT NULL,
    model             text COLLATE "C" NOT NULL,
    upstream_model    text COLLATE "C" NULL,
    caller            text COLLATE "C" NOT NULL,
    agent             text COLLATE "C" NULL,
    token_id          text COLLATE "C" NULL,
    run_id            text COLLATE "C" NULL,
    step_id           text COLLATE "C" NULL,
    status            bigint NULL,
    streamed          integer NOT NULL,
    cache_hit         integer NOT NULL,
    attempts          bigint NOT NULL,
    failovers         text COLLATE "C" NULL,
    error             text COLLATE "C" NULL,
    prompt_tokens     bigint NOT NULL,
    cached_tokens     bigint NOT NULL,
    completion_tokens bigint NOT NULL,
    cost_nanos        bigint NOT NULL,
    reserved_tokens   bigint NOT NULL,
    reserved_nanos    bigint NOT NULL,
    latency_us        bigint NULL
);

CREATE INDEX ix_llm_calls_started ON llm_calls (started_at);
CREATE INDEX ix_llm_calls_agent ON llm_calls (agent, started_at) WHERE agent IS NOT NULL;
CREATE INDEX ix_llm_calls_run ON llm_calls (run_id) WHERE run_id IS NOT NULL;

-- Budgets on LLM calls, per agent and UTC day or month; a reservation locks its budget rows, so servers sharing the store
-- reserve against one budget one at a time.
CREATE TABLE llm_budgets (
    scope      text COLLATE "C" NOT NULL,
    subject    text COLLATE "C" NOT NULL,
    period     text COLLATE "C" NOT NULL,
    max_tokens bigint NULL,
    max_nanos  bigint NULL,
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (scope, subject, period)
);

-- Answers of endpoints with cache.enabled, by a SHA-256 of the endpoint, the path and the body sent; served until expires_at.
CREATE TABLE llm_cache (
    key          text COLLATE "C" NOT NULL PRIMARY KEY,
    endpoint     text COLLATE "C" NOT NULL,
    content_type text COLLATE "C" NULL,
    body         bytea NOT NULL,
    created_at   text COLLATE "C" NOT NULL,
    expires_at   text COLLATE "C" NOT NULL
);

CREATE INDEX ix_llm_cache_expires ON llm_cache (expires_at);

-- A token Berth mints for one workflow step's call to an agent names the run and step its LLM calls are attributed to.
ALTER TABLE tokens ADD COLUMN run_id text COLLATE "C" NULL;
ALTER TABLE tokens ADD COLUMN step_id text COLLATE "C" NULL;
