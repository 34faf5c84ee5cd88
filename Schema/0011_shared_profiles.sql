-- 0011: knowledge sharing across tenants. What a tenant publishes to the network is one
-- profile per collective, anonymised by that tenant's own run (its people's, schools'
-- and districts' names never leave its scope) and holding only aggregates with n at or
-- above its suppression threshold. Another tenant reads profiles only through
-- ilc_network_profiles(), and only while both it and the publisher chose `network`.
CREATE TABLE shared_profiles (
    tenant_id           uuid NOT NULL,
    collective_id       uuid NOT NULL,
    cycle_id            uuid NOT NULL,
    -- the theme's catalog key (the same across tenants), else its label
    theme_key           text CHECK (length(theme_key) <= 200),
    problem_of_practice text NOT NULL DEFAULT '' CHECK (length(problem_of_practice) <= 20000),
    theory_of_action    text NOT NULL DEFAULT '' CHECK (length(theory_of_action) <= 20000),
    -- [{"id","name","direction","baseline","baseline_on","target","observations":[{"date","value","sample_size"}]}]
    indicators          jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(indicators) = 'array'),
    evidence_categories text[] NOT NULL DEFAULT '{}',
    published_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, collective_id),
    FOREIGN KEY (tenant_id, cycle_id, collective_id) REFERENCES collectives (tenant_id, cycle_id, id) ON DELETE CASCADE
);
SELECT ilc_isolate_tenant_table('shared_profiles');
CREATE INDEX shared_profiles_by_cycle ON shared_profiles (tenant_id, cycle_id, collective_id);

-- The reading function runs as this migration's role (the owner), which alone may read
-- every tenant's profiles and sharing choice: the application role gains nothing.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY network_read ON shared_profiles FOR SELECT TO %I USING (true)', current_user);
    EXECUTE format('CREATE POLICY network_read ON tenants FOR SELECT TO %I USING (true)', current_user);
END
$$;

-- Other tenants' published profiles, for the calling tenant, when both chose `network`;
-- labelled with the publisher's public name when it set one. Nothing in operator scope.
CREATE FUNCTION ilc_network_profiles()
RETURNS TABLE (tenant_id uuid, source_label text, collective_id uuid, theme_key text, problem_of_practice text,
               theory_of_action text, indicators jsonb, evidence_categories text[], published_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT p.tenant_id, t.public_name, p.collective_id, p.theme_key, p.problem_of_practice, p.theory_of_action,
           p.indicators, p.evidence_categories, p.published_at
    FROM shared_profiles p JOIN tenants t ON t.id = p.tenant_id
    WHERE t.sharing = 'network'
      AND p.tenant_id <> ilc_current_tenant()
      AND EXISTS (SELECT FROM tenants me WHERE me.id = ilc_current_tenant() AND me.sharing = 'network')
    ORDER BY p.tenant_id, p.collective_id
$$;
REVOKE ALL ON FUNCTION ilc_network_profiles() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ilc_network_profiles() TO ilc_app;
