#!/bin/sh
# One database and one owner role per service (least privilege): each service connects as its own role,
# which owns its database and nothing else, may not connect to the others', and is no superuser. The
# postgres image runs this once, as its superuser, on an empty data directory; the passwords come from
# the environment (EMPORIUM_DB_PASSWORD_USERS, _INVENTORY, _ORDERS). Used by docker-compose.yml and the
# dev overlay; a production database is set up the same way by its administrator (docs/security.md).
set -eu
for database in users inventory orders; do
  variable="EMPORIUM_DB_PASSWORD_$(echo "$database" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable") || { echo "$variable is not set" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="emporium_$database" -v database="$database" -v password="$password" <<'SQL'
create role :"role" login nosuperuser nocreatedb nocreaterole noreplication password :'password';
create database :"database" owner :"role";
revoke all on database :"database" from public;
grant connect, temporary on database :"database" to :"role";
\connect :"database"
alter schema public owner to :"role";
SQL
done
