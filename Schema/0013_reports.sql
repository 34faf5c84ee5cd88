-- 0013: generated reports. Each tenant keeps its reports for its
-- `report_retention_days` (0001; expires_at is set when a report is stored); the API
-- purges expired ones across tenants in operator scope, which may delete them and
-- read nothing.

ALTER TABLE reports ALTER COLUMN id SET DEFAULT ilc_time_ordered_id();
ALTER TABLE reports ADD COLUMN title text NOT NULL DEFAULT '' CHECK (length(title) <= 500);
CREATE INDEX reports_by_expiry ON reports (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX reports_by_job ON reports (tenant_id, job_id) WHERE job_id IS NOT NULL;
CREATE POLICY expired_purge ON reports FOR DELETE
    USING (ilc_operator_scope() AND expires_at <= now());

-- The operator's network summary: aggregates per tenant and nothing else, read by a
-- function that runs as this migration's role (the owner) in operator scope only. The
-- owner-only policies below let that function count; the application role gains nothing.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['cycles', 'collectives', 'survey_responses', 'indicators', 'evidence'] LOOP
        EXECUTE format('CREATE POLICY network_summary ON %I FOR SELECT TO %I USING (true)', name, current_user);
    END LOOP;
END
$$;

CREATE FUNCTION ilc_network_summary()
RETURNS TABLE (tenant_id uuid, tenant_name text, tenant_kind text, sharing text, suppression_threshold integer,
               cycles bigint, collectives bigint, participants bigint, indicators bigint, indicators_moving bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT ilc_operator_scope() THEN
        RAISE EXCEPTION 'the network summary is read in operator scope' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    WITH latest AS (
        SELECT DISTINCT ON (e.tenant_id, e.indicator_id) e.tenant_id, e.indicator_id, e.value
        FROM evidence e WHERE e.value IS NOT NULL
        ORDER BY e.tenant_id, e.indicator_id, e.observed_on DESC, e.created_at DESC
    )
    SELECT t.id, t.name, t.kind, t.sharing, t.suppression_threshold,
           (SELECT count(*) FROM cycles y WHERE y.tenant_id = t.id),
           (SELECT count(*) FROM collectives c WHERE c.tenant_id = t.id),
           (SELECT count(DISTINCT s.participant_id) FROM survey_responses s WHERE s.tenant_id = t.id),
           (SELECT count(*) FROM indicators i WHERE i.tenant_id = t.id),
           (SELECT count(*) FROM indicators i JOIN latest l ON l.tenant_id = i.tenant_id AND l.indicator_id = i.id
            WHERE i.tenant_id = t.id AND i.baseline IS NOT NULL
              AND CASE i.direction WHEN 'decrease' THEN l.value < i.baseline ELSE l.value > i.baseline END)
    FROM tenants t
    ORDER BY t.name, t.id;
END
$$;
REVOKE ALL ON FUNCTION ilc_network_summary() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_network_summary() TO ilc_app;
