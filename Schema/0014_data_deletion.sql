-- 0014: deleting a tenant. Its rows go by the foreign keys' cascades from `tenants`
-- (reports of a whole tenant hang on no cycle or collective, so they get their own
-- foreign key to it here), except its jobs: the queue's hot table has no foreign key (no extra index or trigger
-- on every state change), and operator scope does not see them. A tenant in the middle
-- of a network sharing run must not leave the others waiting for its publication.
-- (A participant's erasure needs nothing here: it runs in its tenant's own scope.)

-- NOT VALID: checking the rows already there would read them, which row-level
-- security forbids the migrator; every report was written for an existing tenant,
-- and the cascade reaches old rows as well as new ones.
ALTER TABLE reports ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE NOT VALID;

-- Starts matching for a network run once every tenant still in it has published;
-- answers the jobs it added (none when matching started already or is not due).
CREATE FUNCTION ilc_network_sharing_advance(p_run uuid)
RETURNS TABLE (tenant_id uuid, job_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    run network_sharing_runs;
    ids uuid[];
BEGIN
    SELECT * INTO run FROM network_sharing_runs r WHERE r.id = p_run FOR UPDATE;
    IF NOT FOUND OR run.matching_started_at IS NOT NULL OR NOT run.tenants <@ run.published THEN
        RETURN;
    END IF;
    UPDATE network_sharing_runs r SET matching_started_at = now() WHERE r.id = p_run;
    SELECT coalesce(array_agg(ilc_time_ordered_id()), '{}') INTO ids FROM unnest(run.tenants);
    INSERT INTO jobs (tenant_id, queue, id, type, payload)
    SELECT given.tenant, 'knowledge-sharing', given.id, 'knowledge-sharing',
           jsonb_build_object('network_run', p_run, 'phase', 'match')
    FROM unnest(run.tenants, ids) AS given (tenant, id);
    RETURN QUERY SELECT given.tenant, given.id FROM unnest(run.tenants, ids) AS given (tenant, id);
END
$$;
REVOKE ALL ON FUNCTION ilc_network_sharing_advance(uuid) FROM PUBLIC;

-- As in 0012, with the start of matching moved to ilc_network_sharing_advance.
CREATE OR REPLACE FUNCTION ilc_network_sharing_published(p_run uuid)
RETURNS TABLE (tenant_id uuid, job_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me uuid := ilc_current_tenant();
BEGIN
    UPDATE network_sharing_runs r SET published = r.published || me
    WHERE r.id = p_run AND me = ANY (r.tenants) AND NOT me = ANY (r.published);
    RETURN QUERY SELECT * FROM ilc_network_sharing_advance(p_run);
END
$$;

-- Deletes a tenant and everything it owns, in operator scope; the caller confirms
-- with the tenant's slug. Answers the matching jobs of network runs its departure
-- completed (the caller hands them to Redis), or raises no_data_found when there is
-- no tenant with this id and slug.
CREATE FUNCTION ilc_delete_tenant(p_tenant uuid, p_slug text)
RETURNS TABLE (tenant_id uuid, job_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    run_id uuid;
BEGIN
    IF NOT ilc_operator_scope() THEN
        RAISE EXCEPTION 'a tenant is deleted in operator scope' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM 1 FROM tenants t WHERE t.id = p_tenant AND t.slug = p_slug FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no tenant % with slug %', p_tenant, p_slug USING ERRCODE = 'no_data_found';
    END IF;
    -- The tenant's own scope deletes its jobs, under the same policy as every other
    -- tenant query; then back to operator scope for the rest.
    PERFORM set_config('app.operator', 'off', true), set_config('app.tenant_id', p_tenant::text, true);
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant;
    PERFORM set_config('app.tenant_id', '', true), set_config('app.operator', 'on', true);
    DELETE FROM tenants t WHERE t.id = p_tenant;
    FOR run_id IN
        UPDATE network_sharing_runs r
        SET tenants = array_remove(r.tenants, p_tenant), published = array_remove(r.published, p_tenant)
        WHERE p_tenant = ANY (r.tenants)
        RETURNING r.id
    LOOP
        RETURN QUERY SELECT * FROM ilc_network_sharing_advance(run_id);
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION ilc_delete_tenant(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_delete_tenant(uuid, text) TO ilc_app;

