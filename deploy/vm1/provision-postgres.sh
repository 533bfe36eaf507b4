#!/usr/bin/env bash
# Prepares the standalone PostgreSQL on VM1 for teamchat. Run once as root; running it again
# changes nothing that is already right (passwords are kept).
#
#   sudo deploy/vm1/provision-postgres.sh
#
# - One database, teamchat; one login role per service (teamchat_auth, teamchat_chatfront), each
#   owning its own schema (accounts, chat) and nothing else; nobody else may create objects.
# - Passwords: random, hex (the JDBC pool settings cannot take a ':'), scram-sha-256, written into
#   /etc/teamchat/auth.env and chatfront.env (mode 600) as DB_URL, DB_USER, DB_PASSWORD.
# - PostgreSQL listens on localhost only; pg_hba allows these roles from loopback with
#   scram-sha-256, the postgres superuser through the local socket (peer), nothing else.
set -euo pipefail

ETC=${TEAMCHAT_ETC:-/etc/teamchat}
[ "$(id -u)" -eq 0 ] || { echo "provision-postgres: run as root" >&2; exit 2; }
command -v psql >/dev/null || { echo "provision-postgres: apt-get install postgresql first" >&2; exit 2; }

psql_admin() { runuser -u postgres -- psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 "$@"; }

config_file=$(psql_admin --tuples-only --no-align --command 'SHOW config_file')
hba_file=$(psql_admin --tuples-only --no-align --command 'SHOW hba_file')
conf_dir=$(dirname "$config_file")

# Settings in conf.d (Debian's postgresql.conf includes it), so upgrades of the package's
# postgresql.conf do not conflict.
mkdir -p "$conf_dir/conf.d"
cat >"$conf_dir/conf.d/teamchat.conf" <<'CONF'
# teamchat (deploy/vm1/provision-postgres.sh)
listen_addresses = 'localhost'
password_encryption = 'scram-sha-256'
CONF

if ! grep -q '^# teamchat' "$hba_file"; then
  cp -p "$hba_file" "$hba_file.before-teamchat"
fi
cat >"$hba_file" <<'HBA'
# teamchat (deploy/vm1/provision-postgres.sh); the previous file is beside this one.
# TYPE  DATABASE  USER                 ADDRESS        METHOD
local   all       postgres                            peer
host    teamchat  teamchat_auth        127.0.0.1/32   scram-sha-256
host    teamchat  teamchat_auth        ::1/128        scram-sha-256
host    teamchat  teamchat_chatfront   127.0.0.1/32   scram-sha-256
host    teamchat  teamchat_chatfront   ::1/128        scram-sha-256
HBA

install -d -m 750 -o root -g root "$ETC"

# The password already in a service's env file, or a new one.
password_of() {
  local file=$1 existing=""
  if [ -f "$file" ]; then existing=$(sed -n 's/^DB_PASSWORD=//p' "$file"); fi
  if [ -n "$existing" ]; then printf '%s' "$existing"; else openssl rand -hex 24; fi
}

# Sets DB_URL, DB_USER and DB_PASSWORD in an env file, keeping its other lines.
write_env() {
  local file=$1 user=$2 password=$3 tmp
  tmp=$(mktemp "$file.XXXXXX")
  if [ -f "$file" ]; then grep -v '^DB_\(URL\|USER\|PASSWORD\)=' "$file" >"$tmp" || true; fi
  {
    echo "DB_URL=jdbc:postgresql://127.0.0.1:5432/teamchat"
    echo "DB_USER=$user"
    echo "DB_PASSWORD=$password"
  } >>"$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$file"
}

auth_password=$(password_of "$ETC/auth.env")
chatfront_password=$(password_of "$ETC/chatfront.env")

# Passwords reach psql as variables (never on a command line that ps could show).
psql_admin --set auth_password="$auth_password" --set chatfront_password="$chatfront_password" <<'SQL'
SET password_encryption = 'scram-sha-256';
SELECT 'CREATE ROLE teamchat_auth LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'teamchat_auth') \gexec
SELECT 'CREATE ROLE teamchat_chatfront LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'teamchat_chatfront') \gexec
ALTER ROLE teamchat_auth WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'auth_password';
ALTER ROLE teamchat_chatfront WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'chatfront_password';
SELECT 'CREATE DATABASE teamchat ENCODING ''UTF8'' TEMPLATE template0' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'teamchat') \gexec
REVOKE ALL ON DATABASE teamchat FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE teamchat TO teamchat_auth, teamchat_chatfront;
\connect teamchat
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS accounts AUTHORIZATION teamchat_auth;
CREATE SCHEMA IF NOT EXISTS chat AUTHORIZATION teamchat_chatfront;
-- chatfront's search (migration V7) needs pg_trgm; its role may not create extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA chat;
SQL

write_env "$ETC/auth.env" teamchat_auth "$auth_password"
write_env "$ETC/chatfront.env" teamchat_chatfront "$chatfront_password"

systemctl restart postgresql
echo "provision-postgres: database teamchat ready; DB_* written to $ETC/auth.env and $ETC/chatfront.env"
