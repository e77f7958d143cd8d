#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 for the store tests:
# uses the running one, starts an installed one, or installs one from Debian.
set -euo pipefail

log() { printf '\033[1;34m[postgres]\033[0m %s\n' "$*"; }
up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if up; then
  log "answering at 127.0.0.1:5432"
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null; then
  log "installing PostgreSQL from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  # the test databases are throwaway: trust local TCP connections, as on these machines
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
fi

version="$(ls /etc/postgresql | sort -V | tail -1)"
log "starting cluster $version/main"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  if up; then log "up"; exit 0; fi
  sleep 1
done
log "PostgreSQL did not come up"
exit 1
