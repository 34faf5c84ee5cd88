"""Enqueues argv[2] no-op jobs, 1,000 per call."""
import asyncio, sys
import asyncpg
from pgqueuer import AsyncpgDriver, Queries

async def main(dsn, total):
    connection = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(connection))
    for start in range(0, total, 1000):
        count = min(1000, total - start)
        await queries.enqueue(["noop"] * count, [None] * count, [0] * count)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
