-- Budgets per workflow, and calls lost in flight.
--
-- Budgets per workflow: a call made for a run's step is recorded with the run's workflow (looked up from runs when the call is
-- reserved), so a workflow's budget sums its runs' calls in a day or month, and a per-run budget (period 'run') sums one run's.
ALTER TABLE llm_calls ADD COLUMN workflow TEXT NULL;

CREATE INDEX ix_llm_calls_workflow ON llm_calls (workflow, started_at) WHERE workflow IS NOT NULL;

-- Calls still 'reserved' a day after they started are marked 'lost' (their server stopped mid-call) every hour; they keep
-- counting at their estimate. The few reserved rows are found without reading the whole ledger.
CREATE INDEX ix_llm_calls_reserved ON llm_calls (started_at) WHERE state = 'reserved';
