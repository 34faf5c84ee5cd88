"""A PgQueuer worker running no-op jobs, fetching argv[2] at a time; says "ready" once up."""
import asyncio, sys
import asyncpg
from pgqueuer import AsyncpgDriver, Queries, QueueManager

async def main(dsn, batch_size):
    connection = await asyncpg.connect(dsn)
    manager = QueueManager(Queries(AsyncpgDriver(connection)))

    @manager.entrypoint("noop")
    async def noop(job):
        pass

    print("ready", flush=True)
    await manager.run(batch_size=batch_size)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
