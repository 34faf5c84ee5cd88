-- 0002: the queue runtime's access to jobs across tenants.
--
-- Workers claim, complete and reap jobs of many tenants in one statement (batching
-- is what keeps PostgreSQL from being the bottleneck). They do so in "queue scope"
-- (set_config('app.queue', 'on', true)), which opens the jobs table, and only the
-- jobs table: a handler reaches domain data through a tenant transaction like the
-- API does. Tenant transactions keep seeing only their own jobs; a transaction with
-- neither setting still fails closed.

CREATE FUNCTION ilc_queue_scope() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('app.queue', true), '') = 'on'
$$;
GRANT EXECUTE ON FUNCTION ilc_queue_scope() TO ilc_app;

-- CASE fixes the order of evaluation: in queue scope no tenant is asked for.
DROP POLICY tenant_isolation ON jobs;
CREATE POLICY tenant_isolation ON jobs
    USING (CASE WHEN (SELECT ilc_queue_scope()) THEN true
                ELSE tenant_id = (SELECT ilc_current_tenant()) END)
    WITH CHECK (CASE WHEN (SELECT ilc_queue_scope()) THEN true
                     ELSE tenant_id = (SELECT ilc_current_tenant()) END);

-- Which dispatch index (Redis key prefix) a job belongs to: job types that must not
-- wait behind each other live in different queues, and workers choose their queues.
ALTER TABLE jobs ADD COLUMN queue text NOT NULL DEFAULT 'default'
    CHECK (queue ~ '^[a-z0-9][a-z0-9-]{0,62}$');

-- Queued jobs by age, for the sweeper that re-pushes what Redis does not know.
CREATE INDEX jobs_queued_by_age ON jobs (queue, created_at, id) WHERE state = 'queued';

-- Updates that keep indexed columns unchanged stay on the page (HOT): progress and
-- heartbeats are frequent.
ALTER TABLE jobs SET (fillfactor = 80);

-- Dispatch order lives in Redis; PostgreSQL never scans queued jobs by run_at.
DROP INDEX jobs_dispatchable;
