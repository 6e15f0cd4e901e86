-- Specs are stored as the API's JSON, and the API's JSON is now the YAML's shape (issue 12): a memory limit is "memory",
-- as in a spec file, no longer "memoryBytes". The value (a number of bytes) is kept; "memory" reads a number as bytes.
UPDATE agents
SET spec = json_set(json_remove(spec, '$.resources.memoryBytes'), '$.resources.memory', json_extract(spec, '$.resources.memoryBytes'))
WHERE json_type(spec, '$.resources.memoryBytes') IS NOT NULL;

-- Container steps carry resources too; each stored workflow and each run's snapshot has its steps rewritten in order.
UPDATE workflows
SET spec = json_set(spec, '$.steps', (
    SELECT json_group_array(
        CASE WHEN json_type(step.value, '$.container.resources.memoryBytes') IS NOT NULL
            THEN json_set(json_remove(step.value, '$.container.resources.memoryBytes'), '$.container.resources.memory',
                json_extract(step.value, '$.container.resources.memoryBytes'))
            ELSE json(step.value) END)
    FROM (SELECT value FROM json_each(workflows.spec, '$.steps') ORDER BY key) AS step))
WHERE EXISTS (SELECT 1 FROM json_each(workflows.spec, '$.steps') AS step WHERE json_type(step.value, '$.container.resources.memoryBytes') IS NOT NULL);

UPDATE runs
SET spec = json_set(spec, '$.steps', (
    SELECT json_group_array(
        CASE WHEN json_type(step.value, '$.container.resources.memoryBytes') IS NOT NULL
            THEN json_set(json_remove(step.value, '$.container.resources.memoryBytes'), '$.container.resources.memory',
                json_extract(step.value, '$.container.resources.memoryBytes'))
            ELSE json(step.value) END)
    FROM (SELECT value FROM json_each(runs.spec, '$.steps') ORDER BY key) AS step))
WHERE EXISTS (SELECT 1 FROM json_each(runs.spec, '$.steps') AS step WHERE json_type(step.value, '$.container.resources.memoryBytes') IS NOT NULL);
