-- What started a run when a trigger did (a message, for a workflow with on.message): the JSON expressions read as trigger.*.
ALTER TABLE runs ADD COLUMN trigger TEXT NULL;
