#!/usr/bin/env bash
# Where the hub's CPU goes at a steady rate: starts influxd and the hub (Release, DOTNET_PerfMapEnabled=1 so perf
# can name JIT-compiled frames), drives the city mix at --rate for --seconds with bench/Bench's ladder, samples the
# hub with `perf record` meanwhile, and prints the hottest symbols and managed namespaces. Needs perf (root or
# perf_event_paranoid ≤ 1). Not a measurement for docs/benchmarks.md: perf itself costs CPU.
#   bench/profile.sh [--rate 15000] [--seconds 10]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=15000; seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "usage: bench/profile.sh [--rate 15000] [--seconds 10]" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "profile: perf is missing" >&2; exit 1; }
dotnet build src/Hub/Hub.csproj -c Release -v quiet -nologo >/dev/null
dotnet build bench/Bench/Bench.csproj -c Release -v quiet -nologo >/dev/null
bench="dotnet bench/Bench/bin/Release/net10.0/FacilityHub.Bench.dll"
hub_dll=src/Hub/bin/Release/net10.0/FacilityHub.Hub.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/fh-profile-XXXXXX)
pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  [ -z "${hub_pid:-}" ] || rm -f "/tmp/perf-$hub_pid.map"
}
trap cleanup EXIT INT TERM
wait_for() { local deadline=$((SECONDS + $1)); shift; until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.1; done; }

influx_port=$(free_port); rpc_port=$(free_port)
scripts/influxd-conf.sh "$work" "$influx_port" "$rpc_port" >"$work/influxdb.conf"
influxd run -config "$work/influxdb.conf" >"$work/influxd.log" 2>&1 & influx_pid=$!; pids+=($influx_pid)
wait_for 20 curl -fs "http://127.0.0.1:$influx_port/ping"
$bench registry --sample config/sites.hitachi.json --out "$work/sites.json" >/dev/null
head -c 24 /dev/urandom | base64 >"$work/secret"
dotnet $hub_dll users add bench --role service --users-file "$work/users.json" <"$work/secret" >/dev/null
hub_port=$(free_port); mqtt_port=$(free_port)
# W^X off: with it on, JIT code runs from a memfd double mapping that perf cannot match to the perf map.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet $hub_dll --urls "http://127.0.0.1:$hub_port" \
  --Influx:Url "http://127.0.0.1:$influx_port" --Broker:Port "$mqtt_port" \
  --Access:UsersFile "$work/users.json" --Access:KeysDirectory "$work/keys" \
  --Sites:RegistryPath "$work/sites.json" --Influx:SpillDirectory "$work/spill" \
  --BrokerAuth:AllowAnonymous true --Ingest:MaxMessagesPerClientPerSecond 0 >"$work/hub.log" 2>&1 & hub_pid=$!; pids+=($hub_pid)
wait_for 30 curl -fs "http://127.0.0.1:$hub_port/healthz"

# A warm-up step at half the rate (JIT tiers; a failing step would end the ladder), then the profiled one.
$bench ladder --mqtt-port "$mqtt_port" --influx "http://127.0.0.1:$influx_port/" --db facility --registry "$work/sites.json" \
  --rates "$((rate / 2)),$rate" --step-seconds "$seconds" --max-seconds $((4 * seconds + 20)) --label profile --watch "hub=$hub_pid,influxd=$influx_pid" &
driver=$!
sleep $((seconds + 4))
perf record -F 499 -g -p "$hub_pid" -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null
wait $driver || true
echo "hub samples by library (kernel = syscalls, scheduling, TCP; libcoreclr = GC and runtime; JIT code = managed):"
perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -12
echo
echo "hottest symbols:"
perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +- +- *$//' | cut -c1-220 | head -30
