#!/bin/sh
# One PostgreSQL login role per botfleet service, allowed into its own schema only
# (ARCHITECTURE.md "Data"). Idempotent: run at every install and upgrade, it creates what is
# missing and sets each role's password to the one in the Secret (so changing a password there
# and upgrading rotates it).
#
# Environment: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (libpq; an administrator that may
# create roles and schemas), BOTFLEET_SERVICES (space separated), BOTFLEET_ROLE_PREFIX, and
# BOTFLEET_PASSWORD_<SERVICE> for each service. Needs psql 15 or later (\getenv).
#
# Each role:
#   - logs in, is no superuser, cannot create databases or roles;
#   - owns the schema named after its service (Flyway then creates its tables there);
#   - has search_path set to that schema;
#   - has no privilege on any other botfleet schema (schemas are private to their owner), and
#     nothing in the public schema (CREATE there is revoked from PUBLIC).
set -eu

: "${BOTFLEET_SERVICES:?}"
: "${BOTFLEET_ROLE_PREFIX?}"
: "${PGDATABASE:?}"

# Wait for the server (a fresh in-cluster or cloud database may still be starting).
tries=0
until pg_isready -q; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "PostgreSQL at ${PGHOST:-local socket}:${PGPORT:-5432} did not answer in 120 s" >&2
    exit 1
  fi
  sleep 2
done

for service in $BOTFLEET_SERVICES; do
  variable="BOTFLEET_PASSWORD_$(echo "$service" | tr '[:lower:]' '[:upper:]')"
  eval "password=\${$variable:-}"
  if [ -z "$password" ]; then
    echo "$variable is empty: the Secret needs a ${service}-password entry" >&2
    exit 1
  fi
  # The password travels in the environment, never on a command line (ps) or in a log.
  BOTFLEET_ROLE_PASSWORD="$password" psql --no-psqlrc -q -v ON_ERROR_STOP=1 \
    -v role="${BOTFLEET_ROLE_PREFIX}${service}" -v schema="$service" -v db="$PGDATABASE" <<'SQL'
\getenv password BOTFLEET_ROLE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
-- A non-superuser administrator (managed databases) must be a member to give the role a schema.
SELECT format('GRANT %I TO CURRENT_USER', :'role')
  WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
    AND NOT pg_has_role(current_user, :'role', 'MEMBER')
\gexec
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
ALTER ROLE :"role" IN DATABASE :"db" SET search_path = :"schema";
SQL
  echo "role ${BOTFLEET_ROLE_PREFIX}${service}: schema ${service}"
done

psql --no-psqlrc -q -v ON_ERROR_STOP=1 -v db="$PGDATABASE" <<'SQL'
-- Only the botfleet roles (and the administrator) connect; nobody creates objects in public.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "botfleet database roles are in place"
