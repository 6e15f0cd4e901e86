-- Counting each agent's dead letters (the metrics gauge, every scrape interval) reads this small index, not every request.
CREATE INDEX ix_requests_dead_lettered ON requests (agent) WHERE state = 'dead-lettered';
