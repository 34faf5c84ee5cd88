-- 0016: one rule for an indicator's progress in every report. Progress is the share of
-- the way from baseline to target the latest value has gone (negative: the wrong way)
-- or, without a target, the relative change in the indicator's direction; none without
-- a baseline or a value. An indicator "moves toward its target" when progress > 0.
-- ILCReports' IndicatorProgress is the same rule for reports computed in Swift; a test
-- holds the two to the same answers.
CREATE FUNCTION ilc_indicator_progress(p_direction text, p_baseline float8, p_target float8, p_latest float8)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_baseline IS NULL OR p_latest IS NULL THEN NULL
        WHEN p_target IS NOT NULL AND p_target <> p_baseline THEN (p_latest - p_baseline) / (p_target - p_baseline)
        WHEN p_baseline = 0 THEN NULL
        ELSE CASE p_direction WHEN 'decrease' THEN -1 ELSE 1 END * (p_latest - p_baseline) / abs(p_baseline)
    END
$$;

-- As in 0013, counting moving indicators by that rule.
CREATE OR REPLACE FUNCTION ilc_network_summary()
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
            WHERE i.tenant_id = t.id AND ilc_indicator_progress(i.direction, i.baseline, i.target, l.value) > 0)
    FROM tenants t
    ORDER BY t.name, t.id;
END
$$;
