"""Job queue throughput next to its peers in one run (issue "Job queue": at least twice
the faster of Sidekiq and PgQueuer on the same machine). Each system runs the same
number of no-op jobs on the same number of worker processes with the same concurrency:

- Sidekiq (Debian's ruby-sidekiq) on the project's Redis, in a database of its own
  (no job rows anywhere: nothing about a job outlives it);
- PgQueuer (PyPI) in a scratch PostgreSQL database of its own (a finished job's row is
  deleted, a log line kept);
- `ilc bench queue`, every job kept as a `succeeded` row in PostgreSQL.

The peers' scripts are in ops/queue-peers/.

The workers are up first; the clock runs from the first enqueue until the last job was
taken (the peers) or is `succeeded` (ilc), enqueueing and running side by side.

Run through ops/queue-peer-benchmark, which installs the peers and starts the services.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse

# The peers' own scripts.
PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "queue-peers")

# Longest a peer may take to run the jobs before the benchmark gives up on it.
WAIT_SECONDS = 600


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Each system's workers are up before the clock starts; the clock covers enqueueing
# all jobs (while the workers already run them) until the last one is taken, as
# `ilc bench queue` measures its own.
def run_sidekiq(redis_url, jobs, workers, concurrency):
    environment = dict(os.environ, REDIS_URL=redis_url)
    subprocess.run(["ruby", "-rsidekiq", "-e", "Sidekiq.redis(&:flushdb)"], cwd=PEERS, env=environment, check=True)
    processes = [
        subprocess.Popen(
            ["sidekiq", "-r", "./noop_job.rb", "-c", str(concurrency), "-q", "default"],
            cwd=PEERS, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)]
    try:
        subprocess.run(["ruby", "ready.rb", str(workers)], cwd=PEERS, env=environment, check=True)
        started = time.perf_counter()
        subprocess.run(["ruby", "enqueue.rb", str(jobs)], cwd=PEERS, env=environment, check=True)
        subprocess.run(["ruby", "wait.rb", str(WAIT_SECONDS)], cwd=PEERS, env=environment, check=True)
        return time.perf_counter() - started
    finally:
        stop(processes)


def run_pgqueuer(python, dsn, jobs, workers, batch_size):
    subprocess.run([python, "pgq_install.py", dsn], cwd=PEERS, check=True)
    processes = [
        subprocess.Popen([python, "pgq_worker.py", dsn, str(batch_size)], cwd=PEERS, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)]
    try:
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a PgQueuer worker did not start")
        started = time.perf_counter()
        subprocess.run([python, "pgq_enqueue.py", dsn, str(jobs)], cwd=PEERS, check=True)
        subprocess.run([python, "pgq_wait.py", dsn, str(WAIT_SECONDS)], cwd=PEERS, check=True)
        return time.perf_counter() - started
    finally:
        stop(processes)


def run_ilc(binary, jobs, tenants, workers, concurrency):
    output = subprocess.run(
        [binary, "bench", "queue", "--jobs", str(jobs), "--tenants", str(tenants), "--workers", str(workers),
         "--concurrency", str(concurrency), "--json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def with_path(url, path):
    """`url` naming another database (PostgreSQL's name, Redis's number)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + path))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ilc", required=True, help="the release ilc binary")
    parser.add_argument("--python", required=True, help="python of the venv with PgQueuer")
    parser.add_argument("--jobs", type=int, default=200000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    # PgQueuer's own default is 10 (4,500 jobs/s here); 128–256 gave it its best, and
    # 256 is what an ilc worker fetches at most at once.
    parser.add_argument("--pgqueuer-batch", type=int, default=256, help="jobs PgQueuer fetches per dequeue")
    arguments = parser.parse_args()

    redis_url = os.environ["ILC_REDIS_URL"]
    # Sidekiq's own Redis database: it flushes it before pushing.
    sidekiq_redis = with_path(redis_url, "9")
    owner_url = os.environ["ILC_OWNER_DATABASE_URL"]
    scratch = "ilc_peer_pgqueuer"
    subprocess.run(["psql", owner_url, "-qc", f"DROP DATABASE IF EXISTS {scratch}"], check=True)
    subprocess.run(["psql", owner_url, "-qc", f"CREATE DATABASE {scratch}"], check=True)
    pgqueuer_dsn = with_path(owner_url, scratch)
    try:
        rows = []
        seconds = run_sidekiq(sidekiq_redis, arguments.jobs, arguments.workers, arguments.concurrency)
        rows.append(("Sidekiq", arguments.jobs / seconds, "Redis only, no job rows"))
        seconds = run_pgqueuer(arguments.python, pgqueuer_dsn, arguments.jobs, arguments.workers, arguments.pgqueuer_batch)
        rows.append(("PgQueuer", arguments.jobs / seconds, "PostgreSQL only, finished jobs deleted"))
        ilc = run_ilc(arguments.ilc, arguments.jobs, arguments.tenants, arguments.workers, arguments.concurrency)
        rows.append(("ilc", ilc["jobs_per_second"], "every job kept as succeeded in PostgreSQL"))
    finally:
        subprocess.run(["psql", owner_url, "-qc", f"DROP DATABASE IF EXISTS {scratch}"], check=False)
        subprocess.run(["redis-cli", "-u", sidekiq_redis, "flushdb"], check=False, stdout=subprocess.DEVNULL)

    fastest_peer = max(rate for name, rate, _ in rows if name != "ilc")
    ratio = ilc["jobs_per_second"] / fastest_peer
    print(f"{arguments.jobs} no-op jobs, {arguments.workers} worker processes, concurrency {arguments.concurrency}"
          f" (PgQueuer fetching {arguments.pgqueuer_batch} at once)")
    print(f"{'queue':10} {'jobs/s':>9}  notes")
    for name, rate, notes in rows:
        print(f"{name:10} {rate:9.0f}  {notes}")
    print(f"ilc is {ratio:.2f}x the faster peer (target: at least 2x and at least 20,000 jobs/s)")
    print(json.dumps({
        "jobs": arguments.jobs, "sidekiq_jobs_per_second": round(rows[0][1]),
        "pgqueuer_jobs_per_second": round(rows[1][1]), "ilc_jobs_per_second": round(ilc["jobs_per_second"]),
        "ilc_latency_p99_ms": ilc["latency_p99_ms"], "ratio_to_fastest_peer": round(ratio, 2)}))


if __name__ == "__main__":
    sys.exit(main())
