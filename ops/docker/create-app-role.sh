#!/bin/sh
# First start of the compose PostgreSQL: the application role (login only, owns
# nothing, no BYPASSRLS), as ops/services creates it locally.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE ilc_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${ILC_APP_PASSWORD}';
GRANT CONNECT ON DATABASE ${POSTGRES_DB} TO ilc_app;
GRANT USAGE ON SCHEMA public TO ilc_app;
SQL
