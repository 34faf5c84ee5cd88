-- 0021: ANALYZE of jobs reads a sample of 3,000 rows instead of 30,000. The sample size
-- follows the largest statistics target of the table's columns, and the columns left
-- in 0020 had the default (100). Autovacuum analyzes jobs after every burst of work,
-- right when the queue serves the jobs that follow; each ANALYZE of a 200,000-row
-- table took about 0.2 s of CPU (now about 0.02 s) and showed as a cluster of slow
-- starts in the queue benchmark's latency run. The planner's choices on jobs do not
-- need finer statistics: lookups go through the primary key, the idempotency index or
-- creation-time ranges of the BRIN index, and ten histogram buckets and ten most common
-- values still cover the states, queues and creation times those choices depend on.
ALTER TABLE jobs
    ALTER COLUMN tenant_id SET STATISTICS 10,
    ALTER COLUMN id SET STATISTICS 10,
    ALTER COLUMN queue SET STATISTICS 10,
    ALTER COLUMN type SET STATISTICS 10,
    ALTER COLUMN state SET STATISTICS 10,
    ALTER COLUMN priority SET STATISTICS 10,
    ALTER COLUMN run_at SET STATISTICS 10,
    ALTER COLUMN idempotency_key SET STATISTICS 10,
    ALTER COLUMN created_at SET STATISTICS 10;
