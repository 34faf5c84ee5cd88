-- 0009: a partner's job in one round trip. Polling is the API's hottest path; as a
-- transaction (BEGIN, set the tenant, SELECT, COMMIT) it took four. This sets the tenant
-- for its own statement's transaction and reads the row by primary key; inside a
-- transaction already scoped to another tenant it refuses, like ilc_enqueue_jobs.
CREATE FUNCTION ilc_tenant_job(p_tenant uuid, p_id uuid) RETURNS SETOF jobs
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('app.tenant_id', true), '') <> ''
       AND current_setting('app.tenant_id', true)::uuid <> p_tenant THEN
        RAISE EXCEPTION 'ilc_tenant_job called for another tenant than the transaction''s'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    RETURN QUERY SELECT * FROM jobs WHERE tenant_id = p_tenant AND id = p_id;
END
$$;
GRANT EXECUTE ON FUNCTION ilc_tenant_job(uuid, uuid) TO ilc_app;
