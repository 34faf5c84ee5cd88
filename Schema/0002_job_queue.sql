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

-- The policies' CASE picks the scope's branch, but a parallel plan evaluates every
-- initplan up front, ilc_current_tenant() included. In queue or operator scope it
-- therefore answers NULL (equal to no tenant_id) instead of raising; with no scope at
-- all it still raises, so a query that forgot its tenant fails closed.
CREATE OR REPLACE FUNCTION ilc_current_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    setting text := current_setting('app.tenant_id', true);
BEGIN
    IF setting IS NULL OR setting = '' THEN
        IF ilc_queue_scope() OR ilc_operator_scope() THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'no tenant is set for this transaction'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Use a tenant-scoped transaction: SELECT set_config(''app.tenant_id'', $1, true).';
    END IF;
    RETURN setting::uuid;
END
$$;

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

-- Every job is written three times (enqueue, claim, outcome) and a state change moves
-- the row's entries in every index, so the jobs table keeps few indexes:
--   * the primary key (tenant_id, id): job ids are UUIDv7, time-ordered, so it also
--     serves a tenant's jobs in creation order;
--   * jobs_leases (running jobs by lease expiry) for the reaper;
--   * a BRIN index on created_at (tiny, nearly free to maintain) for the sweeper's
--     window of recent jobs.
-- Dispatch order lives in Redis: PostgreSQL never scans queued jobs by run_at.
DROP INDEX jobs_dispatchable;
DROP INDEX jobs_by_tenant_state;
CREATE INDEX jobs_created_brin ON jobs USING brin (created_at);

-- The tenant reference is checked where jobs are made (always inside the tenant's own
-- transaction); a foreign key would add a lookup to every insert on the hottest path.
-- Deleting a tenant deletes its jobs explicitly.
ALTER TABLE jobs DROP CONSTRAINT jobs_tenant_id_fkey;

-- Updates that keep indexed columns unchanged stay on the page (HOT): progress writes
-- are frequent.
ALTER TABLE jobs SET (fillfactor = 80);

-- Enqueue in one round trip for callers with nothing else to write (standalone
-- enqueues, benchmarks): sets the tenant for this statement's own transaction and
-- inserts. Inside a transaction already scoped to another tenant, it refuses.
CREATE FUNCTION ilc_enqueue_jobs(
    p_tenant uuid, p_queue text, p_ids uuid[], p_types text[], p_priorities int2[], p_run_epochs float8[],
    p_max_attempts int4[], p_payloads text[], p_keys text[])
RETURNS TABLE (job_id uuid, job_priority int2, job_run_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('app.tenant_id', true), '') <> ''
       AND current_setting('app.tenant_id', true)::uuid <> p_tenant THEN
        RAISE EXCEPTION 'ilc_enqueue_jobs called for another tenant than the transaction''s'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    RETURN QUERY
    INSERT INTO jobs AS j (tenant_id, queue, id, type, priority, run_at, max_attempts, payload, idempotency_key)
    SELECT p_tenant, p_queue, u.id, u.type, u.priority,
           CASE WHEN u.run_epoch >= 0 THEN to_timestamp(u.run_epoch) ELSE now() END,
           u.max_attempts, u.payload::jsonb, nullif(u.key, '')
    FROM unnest(p_ids, p_types, p_priorities, p_run_epochs, p_max_attempts, p_payloads, p_keys)
         AS u(id, type, priority, run_epoch, max_attempts, payload, key)
    ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING j.id, j.priority, j.run_at;
END
$$;
REVOKE ALL ON FUNCTION ilc_enqueue_jobs(uuid, text, uuid[], text[], int2[], float8[], int4[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_enqueue_jobs(uuid, text, uuid[], text[], int2[], float8[], int4[], text[], text[]) TO ilc_app;
