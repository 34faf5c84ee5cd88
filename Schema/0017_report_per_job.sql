-- 0017: one report per report job. A worker killed after storing a report but before
-- recording its job's outcome runs the job again; the rerun now replaces the report
-- instead of adding a second one, which needs a unique index on the job.

-- Reports duplicated that way before this migration: keep the newest of each job.
-- Row-level security hides every tenant's rows from the owner, so it is lifted for
-- this statement only (inside the migration's transaction).
ALTER TABLE reports NO FORCE ROW LEVEL SECURITY;
DELETE FROM reports r USING reports newer
WHERE r.job_id IS NOT NULL AND newer.tenant_id = r.tenant_id AND newer.job_id = r.job_id AND newer.id > r.id;
ALTER TABLE reports FORCE ROW LEVEL SECURITY;

DROP INDEX reports_by_job;
CREATE UNIQUE INDEX reports_by_job ON reports (tenant_id, job_id) WHERE job_id IS NOT NULL;
