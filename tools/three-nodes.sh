#!/usr/bin/env bash
# Three Coffer nodes on one PostgreSQL, all on loopback, no container engine (issue 10).
#
#   tools/three-nodes.sh            # starts everything, prints export lines, runs until Ctrl-C
#
# It starts a PostgreSQL 15 (initdb into a temporary folder, pg_ctl on a free port), initializes
# the first node's data directory against it, copies that directory for nodes 2 and 3 (each node
# needs the root key; the state is in PostgreSQL), starts the three nodes on free ports, prints
#   export COFFER_NODES="URL1 URL2 URL3"
#   export AWS_ACCESS_KEY_ID=...   export AWS_SECRET_ACCESS_KEY=...
# and stops everything it started on Ctrl-C or SIGTERM, removing the temporary folder.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), COFFER (a coffer command; default: build
# src/Coffer.Cli and run it), KEEP=1 to keep the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "three-nodes: PostgreSQL 15 not found in $PG_BIN (apt-get install postgresql-15, or set PG_BIN)" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

work=$(mktemp -d "${TMPDIR:-/tmp}/coffer-three-nodes.XXXXXX")
chmod 755 "$work"   # PostgreSQL runs as its own user and must reach its folder
pids=()
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: PostgreSQL runs as the postgres user.
  as_pg=(runuser -u postgres --)
fi

stop() {
  trap - INT TERM EXIT
  echo "three-nodes: stopping" >&2
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -d "$work/pg" ] && "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "three-nodes: kept $work" >&2; else rm -rf "$work"; fi
}
trap stop INT TERM EXIT

if [ -z "${COFFER:-}" ]; then
  echo "three-nodes: building src/Coffer.Cli" >&2
  dotnet build src/Coffer.Cli -nologo -v q -o "$work/bin" >&2
  COFFER="$work/bin/coffer"
fi

pg_port=$(free_port)
pg_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
printf '%s' "$pg_password" > "$work/pwfile"
mkdir -p "$work/pg"
[ ${#as_pg[@]} -eq 0 ] || chown -R postgres:postgres "$work/pg" "$work/pwfile"
"${as_pg[@]}" "$PG_BIN/initdb" -D "$work/pg" -U coffer --auth=scram-sha-256 --pwfile "$work/pwfile" --no-sync >/dev/null
rm -f "$work/pwfile"
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
store="postgres://coffer:${pg_password}@127.0.0.1:${pg_port}/postgres"
echo "three-nodes: PostgreSQL on 127.0.0.1:$pg_port ($work/pg)" >&2

COFFER_STORE="$store" $COFFER init --data-dir "$work/node1" >"$work/init.log"
for n in 2 3; do
  mkdir -m 700 "$work/node$n"
  # Everything but the lock (and the one-time credentials file, which stays with node 1).
  find "$work/node1" -mindepth 1 -maxdepth 1 ! -name 'coffer.lock*' ! -name root-credentials -exec cp -a {} "$work/node$n/" \;
done

urls=()
for n in 1 2 3; do
  port=$(free_port)
  COFFER_STORE="$store" $COFFER server --data-dir "$work/node$n" --urls "http://127.0.0.1:$port" --schedule-interval 5 \
    >"$work/node$n.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
done

for url in "${urls[@]}"; do
  for _ in $(seq 1 150); do
    curl -fsS "$url/_coffer/health/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$url/_coffer/health/ready" >/dev/null || { echo "three-nodes: $url did not start; see $work/node*.log" >&2; KEEP=1; exit 1; }
done

key_id=$(sed -n 's/^aws_access_key_id = //p' "$work/node1/root-credentials")
secret=$(sed -n 's/^aws_secret_access_key = //p' "$work/node1/root-credentials")
echo "export COFFER_NODES=\"${urls[*]}\""
echo "export AWS_ACCESS_KEY_ID=$key_id"
echo "export AWS_SECRET_ACCESS_KEY=$secret"
echo "export AWS_DEFAULT_REGION=us-east-1"
echo "three-nodes: running; logs in $work; Ctrl-C stops everything" >&2
wait "${pids[@]}"
