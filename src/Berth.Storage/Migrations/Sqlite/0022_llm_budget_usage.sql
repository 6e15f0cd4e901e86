-- What each budget's current window has used, kept as a counter rather than summed from llm_calls on every call: the sum
-- reads every call of the window, so it grew with the month's calls, and it ran under the lock each of the agent's calls
-- takes. A counter is created from that sum the first time a budget is checked in a window, moved by each call's estimate
-- when it is reserved and by the difference when it is settled, dropped with its budget and once idle for a day (it is
-- made again from the sum when needed, so dropping one is always safe). window_key is the window's start, or the run's id
-- for a per-run budget.
CREATE TABLE llm_budget_usage (
    scope      TEXT NOT NULL,
    subject    TEXT NOT NULL,
    period     TEXT NOT NULL,
    window_key TEXT NOT NULL,
    tokens     INTEGER NOT NULL,
    nanos      INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, subject, period, window_key)
);

CREATE INDEX ix_llm_budget_usage_updated ON llm_budget_usage (updated_at);
