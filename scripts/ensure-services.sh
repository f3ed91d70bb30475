#!/usr/bin/env bash
# For the PostgreSQL pass of `make test`: use the PostgreSQL (127.0.0.1:5432, database `test`)
# and Redis (127.0.0.1:6379) servers that answer; install and start them on loopback where not.
set -euo pipefail
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)

pg_up() { PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -p 5432 -d test -Atc "select 1" >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! pg_up; then
  command -v pg_ctlcluster >/dev/null || install postgresql postgresql-client
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  conf=/etc/postgresql/$version/main
  # Trust on loopback only: this server exists for the test suite on this machine.
  $SUDO sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+all\s+)\S+/\1trust/' "$conf/pg_hba.conf"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  for _ in $(seq 30); do $SUDO -u postgres psql -Atc "select 1" >/dev/null 2>&1 && break; sleep 1; done
  $SUDO -u postgres psql -qc "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$(whoami)') THEN CREATE ROLE \"$(whoami)\" SUPERUSER LOGIN; END IF; END\$\$;"
  $SUDO -u postgres psql -Atc "select 1 from pg_database where datname='test'" | grep -q 1 || $SUDO -u postgres createdb -O "$(whoami)" test
  pg_up || { echo "ensure-services: PostgreSQL did not come up" >&2; exit 1; }
fi

if ! redis_up; then
  command -v redis-server >/dev/null || install redis-server
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do redis_up && break; sleep 0.2; done
  redis_up || { echo "ensure-services: Redis did not come up" >&2; exit 1; }
fi
