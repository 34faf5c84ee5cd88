"""Installs PgQueuer's tables into the database argv[1] names."""
import asyncio, sys
import asyncpg
from pgqueuer import AsyncpgDriver, Queries

async def main(dsn):
    connection = await asyncpg.connect(dsn)
    await Queries(AsyncpgDriver(connection)).install()

asyncio.run(main(sys.argv[1]))
