-- Capabilities are mappings now ({ name, version, inputs, outputs }); a spec may still write a plain name, which reads as
-- { name }. Stored agents written before are rewritten in order, so the stored JSON reads without the spec reader.
UPDATE agents
SET spec = json_set(spec, '$.capabilities', (
    SELECT json_group_array(CASE WHEN capability.type = 'text' THEN json_object('name', capability.value) ELSE json(capability.value) END)
    FROM (SELECT type, value FROM json_each(agents.spec, '$.capabilities') ORDER BY key) AS capability))
WHERE EXISTS (SELECT 1 FROM json_each(agents.spec, '$.capabilities') AS capability WHERE capability.type = 'text');

-- Installed plugin versions, side by side; the spec is the API's JSON, the folder the copy Berth keeps of the package.
CREATE TABLE plugins (
    id           TEXT NOT NULL,
    version      TEXT NOT NULL,
    spec         TEXT NOT NULL,
    directory    TEXT NOT NULL,
    digest       TEXT NOT NULL,
    source       TEXT NOT NULL,
    notes        TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    installed_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

-- One row per call of a plugin (direct, from a workflow step, or through MCP); newest first per plugin.
CREATE TABLE plugin_invocations (
    id           TEXT    NOT NULL PRIMARY KEY,
    plugin_id    TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    caller       TEXT    NOT NULL,
    run_id       TEXT    NULL,
    step_id      TEXT    NULL,
    instance_id  TEXT    NULL,
    started_at   TEXT    NOT NULL,
    duration_ms  REAL    NOT NULL,
    outcome      TEXT    NOT NULL,
    error_class  TEXT    NULL,
    message      TEXT    NULL
);

CREATE INDEX ix_plugin_invocations_plugin ON plugin_invocations (plugin_id, started_at, id);

-- A plugin's warm pool runs as an agent the reconciler drives like any other, named "plugin.ID.VERSION" (a name no applied
-- agent can have); plugin names the installed version it belongs to, and keeps it out of the agents users list.
ALTER TABLE agents ADD COLUMN plugin TEXT NULL;
