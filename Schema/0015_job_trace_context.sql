-- 0015: tracing. A job keeps the W3C trace context (`traceparent`) of the request that
-- made it, so the worker's run of it joins that request's trace. No index covers it,
-- so a job's updates stay HOT.
ALTER TABLE jobs ADD COLUMN trace_parent text CHECK (octet_length(trace_parent) <= 256);

-- ilc_enqueue_jobs of 0002 with the trace context of the call ('' for none), which
-- every job of the call shares. A new
-- overload: processes of the previous release keep calling the old one during a
-- rolling deploy.
CREATE FUNCTION ilc_enqueue_jobs(
    p_tenant uuid, p_queue text, p_ids uuid[], p_types text[], p_priorities int2[], p_run_epochs float8[],
    p_max_attempts int4[], p_payloads text[], p_keys text[], p_trace_parent text)
RETURNS TABLE (job_id uuid, job_priority int2, job_run_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('app.tenant_id', true), '') <> ''
       AND current_setting('app.tenant_id', true)::uuid <> p_tenant THEN
        RAISE EXCEPTION 'ilc_enqueue_jobs called for another tenant than the transaction''s'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_queue !~ '^[a-z0-9][a-z0-9-]{0,62}$' THEN
        RAISE EXCEPTION 'queue name % is not 1-63 lowercase letters, digits or hyphens', p_queue
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT FROM (SELECT DISTINCT t FROM unnest(p_types) AS t) AS types
               WHERE t IS NULL OR t !~ '^[a-z][a-z0-9-]{0,63}$') THEN
        RAISE EXCEPTION 'job types must be 1-64 lowercase letters, digits or hyphens, starting with a letter'
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    IF cardinality(array_remove(p_keys, '')) = 0 THEN
        RETURN QUERY
        INSERT INTO jobs AS j (tenant_id, queue, id, type, priority, run_at, max_attempts, payload, trace_parent)
        SELECT p_tenant, p_queue, u.id, u.type, u.priority,
               CASE WHEN u.run_epoch >= 0 THEN to_timestamp(u.run_epoch) ELSE now() END,
               u.max_attempts, u.payload::jsonb, nullif(p_trace_parent, '')
        FROM unnest(p_ids, p_types, p_priorities, p_run_epochs, p_max_attempts, p_payloads)
             AS u(id, type, priority, run_epoch, max_attempts, payload)
        RETURNING j.id, j.priority, j.run_at;
    ELSE
        RETURN QUERY
        INSERT INTO jobs AS j (tenant_id, queue, id, type, priority, run_at, max_attempts, payload, idempotency_key, trace_parent)
        SELECT p_tenant, p_queue, u.id, u.type, u.priority,
               CASE WHEN u.run_epoch >= 0 THEN to_timestamp(u.run_epoch) ELSE now() END,
               u.max_attempts, u.payload::jsonb, nullif(u.key, ''), nullif(p_trace_parent, '')
        FROM unnest(p_ids, p_types, p_priorities, p_run_epochs, p_max_attempts, p_payloads, p_keys)
             AS u(id, type, priority, run_epoch, max_attempts, payload, key)
        ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING j.id, j.priority, j.run_at;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION ilc_enqueue_jobs(uuid, text, uuid[], text[], int2[], float8[], int4[], text[], text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_enqueue_jobs(uuid, text, uuid[], text[], int2[], float8[], int4[], text[], text[], text) TO ilc_app;
