"""Returns once the queue table is empty: PgQueuer deletes a finished job's row (and logs
it elsewhere). Gives up after argv[2] seconds."""
import asyncio, sys
import asyncpg

async def main(dsn, seconds):
    connection = await asyncpg.connect(dsn)
    deadline = asyncio.get_running_loop().time() + seconds
    while await connection.fetchval("SELECT count(*) FROM pgqueuer") > 0:
        if asyncio.get_running_loop().time() > deadline:
            sys.exit("PgQueuer did not finish in time")
        await asyncio.sleep(0.005)

asyncio.run(main(sys.argv[1], float(sys.argv[2])))
