-- 0008: webhooks. When a job reaches succeeded, failed or canceled, every enabled
-- endpoint of its tenant that subscribed to that event gets a delivery row and a
-- `webhook-delivery` job, in the same transaction as the state change (an outbox: no
-- event is lost to a crash between the two). A trigger does it, so every path that
-- ends a job (worker outcomes, the reaper, a cancel through the API) emits events.

-- UUIDv7 (time-ordered, like the application's TimeOrderedID), so deliveries and their
-- jobs list in creation order: 48 bits of Unix milliseconds over a random UUID, version
-- bits turned from 4 to 7 (bits 52 and 53 of the bytea are bits 4 and 5 of byte 6).
CREATE FUNCTION ilc_time_ordered_id() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),
        'hex')::uuid
$$;
GRANT EXECUTE ON FUNCTION ilc_time_ordered_id() TO ilc_app;

-- NOT VALID: rows made before this (with no events) stay and simply get none; the
-- migrator could not rewrite them anyway, since row-level security binds it too.
ALTER TABLE webhook_endpoints
    ADD COLUMN description text CHECK (length(description) <= 500),
    ADD CONSTRAINT webhook_endpoints_events_given CHECK (cardinality(event_types) BETWEEN 1 AND 16) NOT VALID;
ALTER TABLE webhook_endpoints ALTER COLUMN id SET DEFAULT ilc_time_ordered_id();
ALTER TABLE webhook_deliveries ALTER COLUMN id SET DEFAULT ilc_time_ordered_id();
ALTER TABLE webhook_deliveries ADD COLUMN last_attempt_at timestamptz;
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (tenant_id, endpoint_id, id);

-- Every attempt of a delivery, for the delivery log.
CREATE TABLE webhook_attempts (
    tenant_id           uuid NOT NULL,
    delivery_id         uuid NOT NULL,
    attempt             integer NOT NULL CHECK (attempt >= 1),
    started_at          timestamptz NOT NULL,
    duration_ms         integer NOT NULL CHECK (duration_ms >= 0),
    status_code         integer CHECK (status_code BETWEEN 100 AND 599),
    error               text,
    response_excerpt    text CHECK (length(response_excerpt) <= 1024),
    PRIMARY KEY (tenant_id, delivery_id, attempt),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
SELECT ilc_isolate_tenant_table('webhook_attempts');

-- The trigger's function runs as this migration's role (the owner), which alone may
-- read every tenant's endpoints and add deliveries and their jobs for any tenant: the
-- application role gains nothing. Policies are permissive, so these only add the owner.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY event_fanout ON webhook_endpoints FOR SELECT TO %I USING (true)', current_user);
    EXECUTE format('CREATE POLICY event_fanout_read ON webhook_deliveries FOR SELECT TO %I USING (true)', current_user);
    EXECUTE format('CREATE POLICY event_fanout ON webhook_deliveries FOR INSERT TO %I WITH CHECK (true)', current_user);
    EXECUTE format('CREATE POLICY event_fanout ON jobs FOR INSERT TO %I WITH CHECK (queue = ''webhook-delivery'')', current_user);
END
$$;

CREATE FUNCTION ilc_emit_job_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    -- Most updates (claims, heartbeats, progress) end no job: leave at once.
    IF NOT EXISTS (SELECT FROM updated_rows WHERE state IN ('succeeded', 'failed', 'canceled')) THEN
        RETURN NULL;
    END IF;
    WITH ended AS (
        SELECT n.*
        FROM updated_rows n JOIN previous_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
        WHERE n.state IN ('succeeded', 'failed', 'canceled') AND o.state <> n.state
          AND n.queue <> 'webhook-delivery'
    ), deliveries AS (
        INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, payload, job_id)
        SELECT e.tenant_id, ilc_time_ordered_id(), e.id, 'evt_' || replace(j.id::text, '-', '') || '_' || j.state,
               'job.' || j.state,
               jsonb_build_object(
                   'type', 'job.' || j.state,
                   'timestamp', to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'data', jsonb_strip_nulls(jsonb_build_object(
                       'id', j.id, 'type', j.type, 'state', j.state, 'attempt', j.attempts,
                       'max_attempts', j.max_attempts,
                       'created_at', to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'finished_at', to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'error', j.error,
                       'links', jsonb_build_object('self', '/v1/jobs/' || j.id)))),
               ilc_time_ordered_id()
        FROM ended j
        JOIN webhook_endpoints e ON e.tenant_id = j.tenant_id AND e.enabled AND ('job.' || j.state) = ANY (e.event_types)
        ON CONFLICT (tenant_id, endpoint_id, event_id) DO NOTHING
        RETURNING tenant_id, id, job_id
    )
    INSERT INTO jobs (tenant_id, queue, id, type, priority, max_attempts, payload)
    SELECT d.tenant_id, 'webhook-delivery', d.job_id, 'webhook-delivery', 0, 14, jsonb_build_object('delivery_id', d.id)
    FROM deliveries d;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ilc_emit_job_events() FROM PUBLIC;

CREATE TRIGGER jobs_emit_events AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS previous_rows NEW TABLE AS updated_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ilc_emit_job_events();
