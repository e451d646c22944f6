#!/usr/bin/env bash
# Whole-path benchmark: starts its own influxd and hub (Release) on free loopback ports with a temp
# data dir (with the per-client publish limit off: it measures the hub, not the limit), runs bench/Bench against them, prints a table, stops everything. Bounded: a few minutes.
#   bench/run.sh [--messages 200000] [--publishers 4] [--latency-rate 200] [--latency-seconds 10]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dotnet build FacilityHub.sln -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/fh-bench-XXXXXX)
influx_port=$(free_port); rpc_port=$(free_port); hub_port=$(free_port); mqtt_port=$(free_port)
pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

scripts/influxd-conf.sh "$work" "$influx_port" "$rpc_port" >"$work/influxdb.conf"
influxd run -config "$work/influxdb.conf" >"$work/influxd.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$influx_port/ping" >/dev/null && break; sleep 0.1; done

# The bench reads /api/stats and the live stream as a service account in a users file of its own.
head -c 24 /dev/urandom | base64 >"$work/bench-secret"
dotnet src/Hub/bin/Release/net10.0/FacilityHub.Hub.dll users add bench --role service --users-file "$work/users.json" <"$work/bench-secret" >/dev/null

# The benchmark's publishers connect anonymously (development flag): it measures the data path.
dotnet src/Hub/bin/Release/net10.0/FacilityHub.Hub.dll --urls "http://127.0.0.1:$hub_port" \
  --Influx:Url "http://127.0.0.1:$influx_port" --Broker:Port "$mqtt_port" \
  --Access:UsersFile "$work/users.json" --Access:KeysDirectory "$work/keys" \
  --Sites:RegistryPath config/sites.hitachi.json --Influx:SpillDirectory "$work/spill" \
  --BrokerAuth:AllowAnonymous true --Ingest:MaxMessagesPerClientPerSecond 0 >"$work/hub.log" 2>&1 & hub_pid=$!; pids+=($hub_pid)
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$hub_port/healthz" >/dev/null && break; sleep 0.1; done

echo "date: $(date -u +%Y-%m-%dT%H:%MZ); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); influxd $(influxd version | cut -d' ' -f2)"
dotnet bench/Bench/bin/Release/net10.0/FacilityHub.Bench.dll --hub "http://127.0.0.1:$hub_port" \
  --hub-user bench --hub-password-file "$work/bench-secret" --mqtt-port "$mqtt_port" \
  --registry config/sites.hitachi.json --hub-pid "$hub_pid" "$@"
