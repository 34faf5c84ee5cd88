-- 0001: the whole domain model, tenant isolation, the application role's grants and
-- the job queue's table.
--
-- Run by the migrator as the owner role (ILC_OWNER_DATABASE_URL). The API and the
-- workers connect as `ilc_app`, which owns nothing and has no BYPASSRLS: every
-- tenant table below has row-level security ENABLED and FORCED, so even the owner
-- sees only the tenant named by `app.tenant_id` for the current transaction.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ilc_app') THEN
        RAISE EXCEPTION 'role ilc_app does not exist'
            USING HINT = 'Create it first (ops/services up does): CREATE ROLE ilc_app LOGIN NOSUPERUSER NOBYPASSRLS;';
    END IF;
END
$$;

-- Scopes, set per transaction with set_config(…, true):
--   tenant   app.tenant_id  one tenant's rows in every tenant table;
--   operator app.operator   the global tables (tenants, operator keys), no tenant data;
--   queue    app.queue      the jobs table of every tenant (the queue runtime batches
--                           claims and outcomes across tenants), no other tenant data.
CREATE FUNCTION ilc_operator_scope() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('app.operator', true), '') = 'on'
$$;

CREATE FUNCTION ilc_queue_scope() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('app.queue', true), '') = 'on'
$$;

-- The tenant of the current transaction. Fails closed: with no scope at all, a query
-- on a tenant table raises instead of returning rows. Policies pick the scope's branch
-- with CASE, but a parallel plan evaluates every initplan up front, this one included:
-- in operator or queue scope it therefore answers NULL (equal to no tenant_id).
CREATE FUNCTION ilc_current_tenant() RETURNS uuid
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

-- Applies the isolation policy to a tenant table. Later migrations call it for
-- every new tenant table, so the rule lives in one place.
CREATE FUNCTION ilc_isolate_tenant_table(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s
             USING (tenant_id = (SELECT ilc_current_tenant()))
             WITH CHECK (tenant_id = (SELECT ilc_current_tenant()))',
        target);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ilc_app', target);
END
$$;
REVOKE ALL ON FUNCTION ilc_isolate_tenant_table(regclass) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Global tables (no tenant_id): tenants, operator keys, worker registry.
-- ---------------------------------------------------------------------------

CREATE TABLE tenants (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug                    text NOT NULL UNIQUE
                            CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind                    text NOT NULL
                            CHECK (kind IN ('state', 'province', 'region', 'consortium')),
    public_name             text CHECK (length(public_name) <= 200),
    sharing                 text NOT NULL DEFAULT 'within_tenant'
                            CHECK (sharing IN ('none', 'within_tenant', 'network')),
    suppression_threshold   integer NOT NULL DEFAULT 10 CHECK (suppression_threshold BETWEEN 1 AND 1000),
    queue_weight            integer NOT NULL DEFAULT 1 CHECK (queue_weight BETWEEN 1 AND 1000),
    max_in_flight           integer CHECK (max_in_flight > 0),
    report_retention_days   integer NOT NULL DEFAULT 365 CHECK (report_retention_days > 0),
    settings                jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
-- A tenant sees its own row; the operator scope sees all. CASE fixes the order of
-- evaluation so the operator path never asks for a tenant.
CREATE POLICY tenant_self_or_operator ON tenants
    USING (CASE WHEN (SELECT ilc_operator_scope()) THEN true
                ELSE id = (SELECT ilc_current_tenant()) END)
    WITH CHECK ((SELECT ilc_operator_scope()));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO ilc_app;

CREATE TABLE operator_keys (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret_hash     bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    last_used_at    timestamptz
);
ALTER TABLE operator_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE operator_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_only ON operator_keys
    USING ((SELECT ilc_operator_scope()))
    WITH CHECK ((SELECT ilc_operator_scope()));
GRANT SELECT, INSERT, UPDATE ON operator_keys TO ilc_app;

-- Worker processes register and heartbeat here; holds no tenant data.
CREATE TABLE workers (
    id              text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
    hostname        text NOT NULL,
    pid             integer NOT NULL,
    version         text NOT NULL,
    concurrency     integer NOT NULL CHECK (concurrency > 0),
    job_types       text[] NOT NULL DEFAULT '{}',
    started_at      timestamptz NOT NULL DEFAULT now(),
    heartbeat_at    timestamptz NOT NULL DEFAULT now(),
    stopped_at      timestamptz
);
CREATE INDEX workers_heartbeat ON workers (heartbeat_at) WHERE stopped_at IS NULL;
GRANT SELECT, INSERT, UPDATE, DELETE ON workers TO ilc_app;

-- ---------------------------------------------------------------------------
-- Tenant tables: tenant_id leads every primary key and every foreign key.
-- ---------------------------------------------------------------------------

CREATE TABLE api_keys (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret_hash     bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    scopes          text[] NOT NULL CHECK (
                        cardinality(scopes) > 0 AND
                        scopes <@ ARRAY['read', 'surveys:write', 'collectives:write',
                                        'evidence:write', 'jobs:write', 'admin']::text[]),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    last_used_at    timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE cycles (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    phase           text NOT NULL DEFAULT 'gathering_themes'
                    CHECK (phase IN ('gathering_themes', 'forming_collectives', 'designing_inquiry',
                                     'collecting_evidence', 'reviewing_progress', 'sharing_knowledge')),
    starts_on       date,
    ends_on         date CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    -- group size bounds, theme catalog, sharing policy, suppression threshold
    settings        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE participants (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    external_id     text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email           text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$'),
    role            text NOT NULL
                    CHECK (role IN ('teacher_leader', 'instructional_coach', 'principal',
                                    'assistant_principal', 'central_office', 'superintendent',
                                    'school_psychologist', 'other')),
    district        text NOT NULL CHECK (length(district) BETWEEN 1 AND 200),
    school          text CHECK (length(school) <= 200),
    region          text CHECK (length(region) <= 200),
    time_zone       text CHECK (length(time_zone) <= 64),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);

CREATE TABLE survey_responses (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id            uuid NOT NULL,
    participant_id      uuid NOT NULL,
    focus_statement     text NOT NULL CHECK (length(focus_statement) BETWEEN 1 AND 20000),
    improvement_goals   text[] NOT NULL DEFAULT '{}',
    -- ranked, most wanted first; catalog keys or theme ids as text
    theme_preferences   text[] NOT NULL DEFAULT '{}' CHECK (cardinality(theme_preferences) <= 3),
    submitted_at        timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, cycle_id, participant_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE themes (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id            uuid NOT NULL,
    label               text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    catalog_key         text,
    keywords            text[] NOT NULL DEFAULT '{}',
    size                integer NOT NULL DEFAULT 0 CHECK (size >= 0),
    cohesion            double precision,
    -- representative quotes: [{"response_id": …, "text": …}]
    quotes              jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(quotes) = 'array'),
    detection_job_id    uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, cycle_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES cycles (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE theme_assignments (
    tenant_id           uuid NOT NULL,
    response_id         uuid NOT NULL,
    cycle_id            uuid NOT NULL,
    theme_id            uuid,          -- NULL: fits no theme, left unassigned
    score               double precision NOT NULL DEFAULT 0,
    second_theme_id     uuid,
    second_score        double precision,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, response_id),
    FOREIGN KEY (tenant_id, response_id) REFERENCES survey_responses (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, cycle_id, theme_id) REFERENCES themes (tenant_id, cycle_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, cycle_id, second_theme_id) REFERENCES themes (tenant_id, cycle_id, id) ON DELETE SET NULL (second_theme_id)
);

CREATE TABLE collectives (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id            uuid NOT NULL,
    theme_id            uuid,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    phase               text NOT NULL DEFAULT 'forming_collectives'
                        CHECK (phase IN ('gathering_themes', 'forming_collectives', 'designing_inquiry',
                                         'collecting_evidence', 'reviewing_progress', 'sharing_knowledge')),
    facilitator         text CHECK (length(facilitator) <= 200),
    formation_job_id    uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, cycle_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, cycle_id, theme_id) REFERENCES themes (tenant_id, cycle_id, id) ON DELETE SET NULL (theme_id)
);

CREATE TABLE memberships (
    tenant_id           uuid NOT NULL,
    collective_id       uuid NOT NULL,
    participant_id      uuid NOT NULL,
    cycle_id            uuid NOT NULL,
    locked              boolean NOT NULL DEFAULT false,   -- a facilitator's edit the next formation keeps
    joined_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, collective_id, participant_id),
    UNIQUE (tenant_id, cycle_id, participant_id),          -- one collective per participant per cycle
    FOREIGN KEY (tenant_id, cycle_id, collective_id) REFERENCES collectives (tenant_id, cycle_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id) ON DELETE CASCADE
);

-- The Collaborative Inquiry Placemat: one per collective.
CREATE TABLE placemats (
    tenant_id           uuid NOT NULL,
    collective_id       uuid NOT NULL,
    problem_of_practice text NOT NULL DEFAULT '' CHECK (length(problem_of_practice) <= 20000),
    priorities          text[] NOT NULL DEFAULT '{}',
    theory_of_action    text NOT NULL DEFAULT '' CHECK (length(theory_of_action) <= 20000),
    version             integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, collective_id),
    FOREIGN KEY (tenant_id, collective_id) REFERENCES collectives (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE indicators (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    collective_id       uuid NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('leading', 'lagging')),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description         text NOT NULL DEFAULT '',
    category            text CHECK (category IN ('demographics', 'perceptions', 'student_learning', 'school_processes')),
    unit                text CHECK (length(unit) <= 50),
    direction           text NOT NULL DEFAULT 'increase' CHECK (direction IN ('increase', 'decrease')),
    baseline            double precision,
    baseline_on         date,
    target              double precision,
    target_on           date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, collective_id, id),
    FOREIGN KEY (tenant_id, collective_id) REFERENCES collectives (tenant_id, id) ON DELETE CASCADE
);

-- Evidence in Bernhardt's four categories, each tied to an indicator of the same collective.
CREATE TABLE evidence (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    collective_id       uuid NOT NULL,
    indicator_id        uuid NOT NULL,
    category            text NOT NULL
                        CHECK (category IN ('demographics', 'perceptions', 'student_learning', 'school_processes')),
    observed_on         date NOT NULL,
    value               double precision,
    sample_size         integer CHECK (sample_size >= 0),
    summary             text NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    source              text CHECK (length(source) <= 500),
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, collective_id, indicator_id)
        REFERENCES indicators (tenant_id, collective_id, id) ON DELETE CASCADE
);
CREATE INDEX evidence_by_indicator ON evidence (tenant_id, indicator_id, observed_on);

CREATE TABLE reflections (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    collective_id       uuid NOT NULL,
    phase               text NOT NULL
                        CHECK (phase IN ('gathering_themes', 'forming_collectives', 'designing_inquiry',
                                         'collecting_evidence', 'reviewing_progress', 'sharing_knowledge')),
    went_well           text NOT NULL DEFAULT '',
    did_not_go_well     text NOT NULL DEFAULT '',
    adjustments         text NOT NULL DEFAULT '',
    author_participant_id uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, collective_id) REFERENCES collectives (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_participant_id) REFERENCES participants (tenant_id, id) ON DELETE SET NULL (author_participant_id)
);

-- A suggestion owned by the receiving (target) tenant. The source may belong to
-- another tenant (network sharing), so it is recorded, anonymised, without a foreign key.
CREATE TABLE knowledge_shares (
    tenant_id               uuid NOT NULL,
    id                      uuid NOT NULL DEFAULT gen_random_uuid(),
    target_collective_id    uuid NOT NULL,
    source_tenant_id        uuid,
    source_collective_id    uuid NOT NULL,
    source_label            text,
    score                   double precision NOT NULL,
    reasons                 jsonb NOT NULL DEFAULT '{}'::jsonb,
    status                  text NOT NULL DEFAULT 'suggested'
                            CHECK (status IN ('suggested', 'accepted', 'dismissed')),
    job_id                  uuid,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, target_collective_id) REFERENCES collectives (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE reports (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    kind                text NOT NULL
                        CHECK (kind IN ('collective_progress', 'cycle_summary', 'tenant_overview', 'network_summary')),
    format              text NOT NULL CHECK (format IN ('html', 'csv', 'json')),
    cycle_id            uuid,
    collective_id       uuid,
    content_type        text NOT NULL,
    content             bytea NOT NULL,
    size_bytes          bigint NOT NULL CHECK (size_bytes >= 0),
    sha256              bytea NOT NULL CHECK (octet_length(sha256) = 32),
    job_id              uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, collective_id) REFERENCES collectives (tenant_id, id) ON DELETE CASCADE
);

-- The queue's record of truth. Redis only indexes what is dispatchable.
-- The tenant reference is checked where jobs are made (always inside the tenant's own
-- transaction); a foreign key would add a lookup to every insert on the hottest path,
-- so deleting a tenant deletes its jobs explicitly.
CREATE TABLE jobs (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,      -- UUIDv7: time-ordered
    -- Which dispatch index (Redis key prefix) the job belongs to: one queue per job type.
    queue               text NOT NULL DEFAULT 'default' CHECK (queue ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    type                text NOT NULL CHECK (type ~ '^[a-z][a-z0-9-]{0,63}$'),
    state               text NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceling', 'canceled')),
    priority            smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100),
    run_at              timestamptz NOT NULL DEFAULT now(),
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts        integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
    lease_expirations   integer NOT NULL DEFAULT 0 CHECK (lease_expirations >= 0),  -- crashes, counted apart from errors
    payload             jsonb NOT NULL DEFAULT '{}'::jsonb,
    progress_percent    real CHECK (progress_percent BETWEEN 0 AND 100),
    progress_processed  bigint CHECK (progress_processed >= 0),
    progress_total      bigint CHECK (progress_total >= 0),
    progress_message    text,
    result              jsonb,
    error               jsonb,       -- problem-like: {type, title, detail, …}
    idempotency_key     text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_fingerprint bytea,
    lease_token         uuid,
    lease_owner         text,
    lease_expires_at    timestamptz,
    dispatched_at       timestamptz,   -- last push to Redis; the sweeper re-pushes stale ones
    cancel_requested_at timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (state NOT IN ('succeeded', 'failed', 'canceled') OR finished_at IS NOT NULL)
) WITH (fillfactor = 80);  -- room for HOT updates: progress writes are frequent
-- Every job is written three times (enqueue, claim, outcome) and a state change moves
-- the row's entries in every index, so the table keeps few: the primary key (ids are
-- time-ordered, so it also lists a tenant's jobs by age), the lease index for the
-- reaper, a BRIN index for the sweeper's window of recent jobs, and idempotency keys.
-- Dispatch order lives in Redis: PostgreSQL never scans queued jobs by run_at.
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state IN ('running', 'canceling');
CREATE INDEX jobs_created_brin ON jobs USING brin (created_at);

CREATE TABLE idempotency_keys (
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key                 text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method              text NOT NULL,
    path                text NOT NULL,
    request_fingerprint bytea NOT NULL,
    state               text NOT NULL DEFAULT 'in_progress' CHECK (state IN ('in_progress', 'completed')),
    response_status     integer,
    response_headers    jsonb,
    response_body       bytea,
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE TABLE webhook_endpoints (
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    url                 text NOT NULL CHECK (url ~ '^https?://'),
    -- Standard Webhooks signing secret; needed in clear to sign, never returned after creation
    secret              text NOT NULL,
    event_types         text[] NOT NULL DEFAULT '{}',
    enabled             boolean NOT NULL DEFAULT true,
    disabled_reason     text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    endpoint_id         uuid NOT NULL,
    event_id            text NOT NULL,
    event_type          text NOT NULL,
    payload             jsonb NOT NULL,
    state               text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at     timestamptz,
    last_status         integer,
    last_error          text,
    job_id              uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    delivered_at        timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, endpoint_id, event_id),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);

SELECT ilc_isolate_tenant_table(t) FROM unnest(ARRAY[
    'api_keys', 'cycles', 'participants', 'survey_responses', 'themes', 'theme_assignments',
    'collectives', 'memberships', 'placemats', 'indicators', 'evidence', 'reflections',
    'knowledge_shares', 'reports', 'idempotency_keys', 'webhook_endpoints',
    'webhook_deliveries'
]::regclass[]) AS t;

-- jobs: its tenant, or every tenant's in queue scope. CASE fixes the order of
-- evaluation: in queue scope no tenant is asked for.
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
    USING (CASE WHEN (SELECT ilc_queue_scope()) THEN true
                ELSE tenant_id = (SELECT ilc_current_tenant()) END)
    WITH CHECK (CASE WHEN (SELECT ilc_queue_scope()) THEN true
                     ELSE tenant_id = (SELECT ilc_current_tenant()) END);
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO ilc_app;

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

GRANT EXECUTE ON FUNCTION ilc_current_tenant() TO ilc_app;
GRANT EXECUTE ON FUNCTION ilc_operator_scope() TO ilc_app;
GRANT EXECUTE ON FUNCTION ilc_queue_scope() TO ilc_app;
-- The ledger is created by the migrator before this file runs; the app may read it
-- (readiness checks compare it with the migrations the code expects).
GRANT SELECT ON schema_migrations TO ilc_app;
