-- 0012: knowledge sharing over the whole network, started by an operator. A run has
-- two phases so every tenant matches against everyone's fresh publications: first
-- each network tenant publishes (one job each, in its own scope); the job that
-- completes the last publication adds the matching jobs, one per tenant. Both steps
-- are single transactions, so a run can neither lose a tenant nor match twice.
CREATE TABLE network_sharing_runs (
    id                  uuid PRIMARY KEY DEFAULT ilc_time_ordered_id(),
    -- the tenants that chose `network` when the run started, and those that published
    tenants             uuid[] NOT NULL,
    published           uuid[] NOT NULL DEFAULT '{}',
    matching_started_at timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE network_sharing_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE network_sharing_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_only ON network_sharing_runs
    USING ((SELECT ilc_operator_scope()))
    WITH CHECK ((SELECT ilc_operator_scope()));
GRANT SELECT ON network_sharing_runs TO ilc_app;

-- The functions below run as this migration's role (the owner), which alone may add
-- knowledge-sharing jobs for any tenant and record a publication: the application
-- role gains nothing. Policies are permissive, so these only add the owner.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY network_sharing ON jobs FOR INSERT TO %I WITH CHECK (queue = ''knowledge-sharing'')',
                   current_user);
    EXECUTE format('CREATE POLICY network_sharing_owner ON network_sharing_runs TO %I USING (true) WITH CHECK (true)',
                   current_user);
END
$$;

-- Starts a run (operator scope only): the run and one publishing job per network
-- tenant commit together. Answers the jobs for the caller to hand to Redis.
CREATE FUNCTION ilc_start_network_sharing(p_run uuid)
RETURNS TABLE (tenant_id uuid, job_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    network uuid[];
    ids uuid[];
BEGIN
    IF NOT ilc_operator_scope() THEN
        RAISE EXCEPTION 'a network run is started in operator scope' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT coalesce(array_agg(t.id ORDER BY t.id), '{}') INTO network FROM tenants t WHERE t.sharing = 'network';
    INSERT INTO network_sharing_runs (id, tenants, matching_started_at)
    VALUES (p_run, network, CASE WHEN cardinality(network) = 0 THEN now() END);
    SELECT coalesce(array_agg(ilc_time_ordered_id()), '{}') INTO ids FROM unnest(network);
    -- No RETURNING: the owner may add these rows but not read them back.
    INSERT INTO jobs (tenant_id, queue, id, type, payload)
    SELECT given.tenant, 'knowledge-sharing', given.id, 'knowledge-sharing',
           jsonb_build_object('network_run', p_run, 'phase', 'publish')
    FROM unnest(network, ids) AS given (tenant, id);
    RETURN QUERY SELECT given.tenant, given.id FROM unnest(network, ids) AS given (tenant, id);
END
$$;
REVOKE ALL ON FUNCTION ilc_start_network_sharing(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_start_network_sharing(uuid) TO ilc_app;

-- Records that the calling tenant published for the run. The call that completes the
-- run's publications adds one matching job per tenant and answers them; every other
-- call (a repeat included) answers none. The row lock orders concurrent callers.
CREATE FUNCTION ilc_network_sharing_published(p_run uuid)
RETURNS TABLE (tenant_id uuid, job_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me uuid := ilc_current_tenant();
    run network_sharing_runs;
    ids uuid[];
BEGIN
    SELECT * INTO run FROM network_sharing_runs r WHERE r.id = p_run FOR UPDATE;
    IF NOT FOUND OR NOT me = ANY (run.tenants) THEN
        RETURN;
    END IF;
    IF NOT me = ANY (run.published) THEN
        run.published := run.published || me;
        UPDATE network_sharing_runs r SET published = run.published WHERE r.id = p_run;
    END IF;
    IF run.matching_started_at IS NOT NULL OR cardinality(run.published) < cardinality(run.tenants) THEN
        RETURN;
    END IF;
    UPDATE network_sharing_runs r SET matching_started_at = now() WHERE r.id = p_run;
    SELECT array_agg(ilc_time_ordered_id()) INTO ids FROM unnest(run.tenants);
    INSERT INTO jobs (tenant_id, queue, id, type, payload)
    SELECT given.tenant, 'knowledge-sharing', given.id, 'knowledge-sharing',
           jsonb_build_object('network_run', p_run, 'phase', 'match')
    FROM unnest(run.tenants, ids) AS given (tenant, id);
    RETURN QUERY SELECT given.tenant, given.id FROM unnest(run.tenants, ids) AS given (tenant, id);
END
$$;
REVOKE ALL ON FUNCTION ilc_network_sharing_published(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_network_sharing_published(uuid) TO ilc_app;
