#!/usr/bin/env bash
# Side by side, same run, same generator, same pass rule (issue 5): the sustained ingest rate of
#   raw     line protocol straight to InfluxDB /write (batch 1000, 2 requests in flight): the ceiling;
#   hub     bench/Bench's city mix (10,000 APs, 1,000 shelters, 200 stations) → the hub's embedded broker, QoS 1,
#           delivery guarantees on (agent/seq, acks after the InfluxDB 2xx, spill armed) → InfluxDB;
#   nodered the same mix → Mosquitto → Node-RED 4 (mqtt-in → function → join 500/1 s → influxdb batch, 1.x) → InfluxDB;
#   hub-mosquitto  the same mix → the same Mosquitto → the hub subscribed to it (Broker:Mode External) → InfluxDB.
# Each target gets a fresh influxd on a free loopback port with a temp data dir; everything is stopped afterwards.
# A ladder step passes when every message is stored within 5 s of the last PUBACK, none missing (counted with InfluxQL
# over the step's time range) and the generator kept the rate.
# Then issue 5's other goals, against the hub: on the ladder's hub, publish → SignalR latency and hub CPU at 2,000,
# 8,000 and 80 % of the hub's sustained rate (Bench latency), and the embedded broker offered 1.2 × that rate with the
# agents subscribed to their acks (Bench overload); on the sample city (config/sites.hitachi.json), hub start-up and
# RSS after 20 s at its load, 3 starts each on a fresh influxd (Bench startup), and 1,000 live clients (Bench fanout).
# Behind Mosquitto the hub gets its ladder and the latency probe at 2,000 and 8,000 msg/s too, with Mosquitto's CPU
# listed beside the hub's (Node-RED's figures leave Mosquitto out in the same way).
# Bounded: about 8.5 minutes in full, seconds in --quick.
#   bench/compare.sh [--quick] [--no-node-red] [--no-external] [--no-fanout] [--no-startup] [--clients 1000] [--starts 3]
#                    [--rates 5000,10000,...] [--step-seconds 10]
# --quick (CI smoke): raw for 1 s, the hub at 2,000 msg/s for 2 s, then 1 s each of latency, fan-out to 10 clients (on
# the ladder's hub and registry) and overload; no Node-RED, no hub behind Mosquitto, no start-up; fails unless every count is exact (no rate or
# time is asserted).
# Node-RED is installed with npm into ${FH_BENCH_CACHE:-~/.cache/facilityhub-bench}/node-red when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0; node_red=1; external=1; fanout=1; startup=1; clients=1000; starts=3
rates=5000,10000,15000,20000,25000,30000,35000,40000,45000,50000; step=10
usage="usage: bench/compare.sh [--quick] [--no-node-red] [--no-external] [--no-fanout] [--no-startup] [--clients 1000] [--starts 3] [--rates 5000,10000,...] [--step-seconds 10]"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; node_red=0; external=0; startup=0; shift ;;
    --no-node-red) node_red=0; shift ;;
    --no-external) external=0; shift ;;
    --no-fanout) fanout=0; shift ;;
    --no-startup) startup=0; shift ;;
    --clients|--starts|--rates|--step-seconds)
      [ $# -ge 2 ] || { echo "compare: $1 needs a value" >&2; echo "$usage" >&2; exit 2; }
      case "$1" in
        --clients) clients=$2 ;; --starts) starts=$2 ;; --rates) rates=$2 ;; --step-seconds) step=$2 ;;
      esac
      shift 2 ;;
    *) echo "compare: unknown flag $1" >&2; echo "$usage" >&2; exit 2 ;;
  esac
done
for flag in clients:$clients starts:$starts step-seconds:$step; do
  [[ ${flag#*:} =~ ^[1-9][0-9]*$ ]] || { echo "compare: --${flag%%:*} must be a positive whole number, got '${flag#*:}'" >&2; echo "$usage" >&2; exit 2; }
done
[[ $rates =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "compare: --rates must be a comma list of positive whole numbers, got '$rates'" >&2; exit 2; }
raw_seconds=5
if [ $quick = 1 ]; then rates=2000; step=2; raw_seconds=1; clients=10; fi

scripts/install-deps.sh
dotnet build src/Hub/Hub.csproj -c Release -v quiet -nologo >/dev/null
dotnet build bench/Bench/Bench.csproj -c Release -v quiet -nologo >/dev/null
dotnet build src/Dashboard/Dashboard.csproj -c Release -v quiet -nologo >/dev/null
bench="dotnet bench/Bench/bin/Release/net10.0/FacilityHub.Bench.dll"
hub_dll=src/Hub/bin/Release/net10.0/FacilityHub.Hub.dll

cache=${FH_BENCH_CACHE:-$HOME/.cache/facilityhub-bench}
if [ $node_red = 1 ] && [ ! -e "$cache/node-red/node_modules/node-red/red.js" ]; then
  command -v npm >/dev/null || { echo "compare: npm is missing; run with --no-node-red" >&2; exit 1; }
  echo "compare: installing node-red@4 and node-red-contrib-influxdb into $cache/node-red" >&2
  mkdir -p "$cache/node-red"
  timeout 300 npm install --prefix "$cache/node-red" --no-audit --no-fund node-red@4 node-red-contrib-influxdb >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/fh-compare-XXXXXX)
csv="$work/results.csv"; : >"$csv"
pids=()
stop() { # stop the given pids (ours), newest first, and wait for them
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
}
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
wait_for() { # wait_for SECONDS command...: poll until the command succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.1; done
}

start_influx() { # fresh influxd in $work/$1; sets influx_port, influx_pid
  local dir="$work/$1"; mkdir -p "$dir"
  influx_port=$(free_port); local rpc_port; rpc_port=$(free_port)
  scripts/influxd-conf.sh "$dir" "$influx_port" "$rpc_port" >"$dir/influxdb.conf"
  influxd run -config "$dir/influxdb.conf" >"$dir/influxd.log" 2>&1 & influx_pid=$!; pids+=($influx_pid)
  wait_for 20 curl -fs "http://127.0.0.1:$influx_port/ping" || { echo "compare: influxd did not start" >&2; cat "$dir/influxd.log" >&2; exit 1; }
}
start_mosquitto() { # fresh mosquitto with its config in $1; sets mosq_port, mosq_pid
  mosq_port=$(free_port)
  # Mosquitto 2 defaults, except that a subscriber's queue may not overflow: at the default 1,000 it would drop
  # QoS 1 messages under a burst, which the pass rule would count as missing, not as slow.
  cat >"$1/mosquitto.conf" <<CONF
listener $mosq_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
CONF
  mosquitto -c "$1/mosquitto.conf" >"$1/mosquitto.log" 2>&1 & mosq_pid=$!; pids+=($mosq_pid)
  wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$mosq_port" || { echo "compare: mosquitto did not start" >&2; cat "$1/mosquitto.log" >&2; exit 1; }
}
ladder() { # ladder LABEL MQTT_PORT DB WATCH: the sustained-rate ladder against whatever listens on MQTT_PORT
  $bench ladder --mqtt-port "$2" --influx "http://127.0.0.1:$influx_port/" --db "$3" --registry "$work/sites.json" \
    --rates "$rates" --step-seconds "$step" --max-seconds 240 --publishers 4 --label "$1" --watch "$4" --csv "$csv"
}
create_db() { curl -fs -XPOST "http://127.0.0.1:$influx_port/query" --data-urlencode "q=CREATE DATABASE \"$1\"" >/dev/null; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); cpu: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(free -g | awk '/Mem:/{print $2}') GiB"
echo "influxd $(influxd version | cut -d' ' -f2); mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}'); .NET $(dotnet --version); node $(node --version 2>/dev/null || echo -)"
echo "rates: $rates msg/s, $step s per step; load average at start: $(load)"

# --- raw InfluxDB /write --------------------------------------------------------------------------
start_influx raw
echo "raw: load average $(load)"
$bench raw-influx --influx "http://127.0.0.1:$influx_port/" --db raw --batch 1000 --in-flight 2 --seconds $raw_seconds \
  --watch "influxd=$influx_pid" --csv "$csv" || { echo "compare: raw count mismatch" >&2; [ $quick = 0 ] || exit 1; }
stop $influx_pid

# --- the hub ------------------------------------------------------------------------------------
# One service account for every hub of the run: the probes read /api/stats and the live views as it, as the dashboard's
# own connection does (README "Users and roles").
head -c 24 /dev/urandom | base64 >"$work/bench-secret"
dotnet $hub_dll users add bench --role service --users-file "$work/users.json" <"$work/bench-secret" >/dev/null
hub_command() { # hub_command DIR REGISTRY HTTP_PORT MQTT_PORT: sets hub_cmd, the hub's command line against $influx_port
  # Publishers connect anonymously (development flag) and the per-client publish limit is off: this measures the data path.
  hub_cmd=(dotnet "$hub_dll" --urls "http://127.0.0.1:$3" --Influx:Url "http://127.0.0.1:$influx_port" --Broker:Port "$4"
    --Access:UsersFile "$work/users.json" --Access:KeysDirectory "$work/keys" --Sites:RegistryPath "$2" --Influx:SpillDirectory "$1/spill"
    --BrokerAuth:AllowAnonymous true --Ingest:MaxMessagesPerClientPerSecond 0)
}
start_hub() { # start_hub DIR REGISTRY [MQTT_PORT [HUB_ARG...]]: sets hub_port, mqtt_port, hub_pid
  local dir=$1 registry=$2
  hub_port=$(free_port); mqtt_port=${3:-$(free_port)}
  hub_command "$dir" "$registry" "$hub_port" "$mqtt_port"
  "${hub_cmd[@]}" "${@:4}" >"$dir/hub.log" 2>&1 & hub_pid=$!; pids+=($hub_pid)
  wait_for 30 curl -fs "http://127.0.0.1:$hub_port/healthz" || { echo "compare: hub did not start" >&2; tail -20 "$dir/hub.log" >&2; exit 1; }
}
as_bench=(--hub-user bench --hub-password-file "$work/bench-secret")

start_influx hub
$bench registry --sample config/sites.hitachi.json --out "$work/sites.json" >/dev/null
start_hub "$work/hub" "$work/sites.json"
echo "hub: load average $(load)"
ladder hub "$mqtt_port" facility "hub=$hub_pid,influxd=$influx_pid"

# The hub's sustained rate (its highest passing step) sets the 80 % latency point and the 1.2 × overload.
sustained=$(awk -F';' '$1 == "hub" && $7 == "pass" && $2 > m { m = $2 } END { print m + 0 }' "$csv")
if [ $quick = 1 ]; then
  latency_rates=2000; probe_time=(--warmup-seconds 0 --seconds 1 --tail-seconds 1)
else
  latency_rates=$(printf '%s\n' 2000 8000 $((sustained * 8 / 10)) | awk '$1 > 0 && !seen[$1]++' | paste -sd, -)
  probe_time=(--warmup-seconds 5 --seconds 10 --tail-seconds 2)
fi
echo "hub probes: sustained $sustained msg/s; latency at $latency_rates msg/s; load average $(load)"
# The dashboard as a city runs it, one process with its one live connection on every view, watched beside the hub: the
# hub pushes each change as soon as the last push is sent, so the dashboard's cost of receiving them belongs in the figures.
probe_watch="hub=$hub_pid,influxd=$influx_pid"
if [ $quick = 0 ]; then
  dashboard_port=$(free_port)
  dotnet src/Dashboard/bin/Release/net10.0/FacilityHub.Dashboard.dll --urls "http://127.0.0.1:$dashboard_port" \
    --Hub:Url "http://127.0.0.1:$hub_port" --Hub:ServiceUser bench --Hub:ServicePasswordFile "$work/bench-secret" \
    >"$work/dashboard.log" 2>&1 & dashboard_pid=$!; pids+=($dashboard_pid)
  if wait_for 60 curl -fs "http://127.0.0.1:$dashboard_port/account/sign-in"; then
    probe_watch+=",dashboard=$dashboard_pid"
  else
    echo "compare: the dashboard did not start; latency without it" >&2; tail -20 "$work/dashboard.log" >&2
  fi
fi
$bench latency --hub "http://127.0.0.1:$hub_port" "${as_bench[@]}" --mqtt-port "$mqtt_port" --registry "$work/sites.json" \
  --rates "$latency_rates" "${probe_time[@]}" --label hub --watch "$probe_watch" --csv "$csv" \
  || echo "compare: the latency probe matched nothing or saw PUBACK failures" >&2
[ -z "${dashboard_pid:-}" ] || stop "$dashboard_pid"
if [ $quick = 1 ]; then
  # The smoke's fan-out: a few clients on the ladder's hub and registry (11,200 devices each once per 10 s).
  $bench fanout --hub "http://127.0.0.1:$hub_port" "${as_bench[@]}" --mqtt-port "$mqtt_port" --registry "$work/sites.json" \
    --clients "$clients" "${probe_time[@]}" --label hub --watch "hub=$hub_pid,influxd=$influx_pid" --csv "$csv" \
    || echo "compare: the fan-out probe did not connect every client or matched nothing" >&2
fi
if [ "$sustained" -gt 0 ]; then
  $bench overload --mqtt-port "$mqtt_port" --influx "http://127.0.0.1:$influx_port/" --db facility --registry "$work/sites.json" \
    --rate "$sustained" --factor 1.2 --seconds $([ $quick = 1 ] && echo 1 || echo 10) --ack-timeout-seconds 30 \
    --label hub --watch "hub=$hub_pid,influxd=$influx_pid" --csv "$csv" || echo "compare: the overload probe did not run to the end" >&2
else
  echo "compare: no ladder step passed, so there is no sustained rate to overload" >&2
fi
stop $hub_pid $influx_pid

# --- Mosquitto + Node-RED -------------------------------------------------------------------------
if [ $node_red = 1 ]; then
  start_influx nodered
  create_db nodered
  nr="$work/node-red"; mkdir -p "$nr"
  nr_port=$(free_port)
  start_mosquitto "$nr"
  sed -e "s/__MQTT_PORT__/$mosq_port/" -e "s/__INFLUX_PORT__/$influx_port/" -e "s/__DB__/nodered/" \
    bench/node-red/flows.template.json >"$nr/flows.json"
  NODE_RED_PORT=$nr_port NODE_RED_FLOWS="$nr/flows.json" node "$cache/node-red/node_modules/node-red/red.js" \
    --userDir "$nr" --settings bench/node-red/settings.js >"$nr/node-red.log" 2>&1 & nr_pid=$!; pids+=($nr_pid)
  wait_for 60 grep -q "Connected to broker" "$nr/node-red.log" || { echo "compare: Node-RED did not connect" >&2; tail -30 "$nr/node-red.log" >&2; exit 1; }
  echo "nodered: load average $(load)"
  ladder nodered "$mosq_port" nodered "node-red=$nr_pid,mosquitto=$mosq_pid,influxd=$influx_pid"
  stop $nr_pid $mosq_pid $influx_pid
fi

# --- the hub behind Mosquitto ----------------------------------------------------------------------
# The supported alternative to the embedded broker (README "Broker"): the same Mosquitto as Node-RED's, the hub
# subscribed with its persistent session. The agents publish to Mosquitto and take their acks from it.
if [ $external = 1 ]; then
  start_influx external
  mkdir -p "$work/external"
  start_mosquitto "$work/external"
  start_hub "$work/external" "$work/sites.json" "$mosq_port" --Broker:Mode External --Broker:Host 127.0.0.1
  echo "hub-mosquitto: load average $(load)"
  ladder hub-mosquitto "$mosq_port" facility "hub=$hub_pid,mosquitto=$mosq_pid,influxd=$influx_pid"
  $bench latency --hub "http://127.0.0.1:$hub_port" "${as_bench[@]}" --mqtt-port "$mosq_port" --registry "$work/sites.json" \
    --rates 2000,8000 "${probe_time[@]}" --label hub-mosquitto --watch "hub=$hub_pid,mosquitto=$mosq_pid,influxd=$influx_pid" --csv "$csv" \
    || echo "compare: the latency probe behind Mosquitto matched nothing or saw PUBACK failures" >&2
  stop $hub_pid $mosq_pid $influx_pid
fi

# --- the sample city: start-up and footprint, fan-out ----------------------------------------------
# The sample city's devices report as the edge simulator makes them (Simulator:Interval, 10 s): 156 devices = 15.6 msg/s.
if [ $startup = 1 ]; then
  for i in $(seq "$starts"); do
    start_influx "startup-$i"
    mkdir -p "$work/startup-$i"
    start_http=$(free_port); start_mqtt=$(free_port)
    hub_command "$work/startup-$i" config/sites.hitachi.json "$start_http" "$start_mqtt"
    # Bench startup runs the hub itself (the clock starts at the process start) and stops it.
    $bench startup --hub "http://127.0.0.1:$start_http" --mqtt-port "$start_mqtt" --load-seconds 20 \
      --registry config/sites.hitachi.json "${as_bench[@]}" --log "$work/startup-$i/hub.log" --label "start-$i" --csv "$csv" \
      -- "${hub_cmd[@]}" || { echo "compare: start $i failed" >&2; tail -20 "$work/startup-$i/hub.log" >&2; }
    stop $influx_pid
  done
fi
if [ $fanout = 1 ] && [ $quick = 0 ]; then
  start_influx fanout
  start_hub "$work/fanout" config/sites.hitachi.json
  echo "fanout: load average $(load)"
  $bench fanout --hub "http://127.0.0.1:$hub_port" "${as_bench[@]}" --mqtt-port "$mqtt_port" --registry config/sites.hitachi.json \
    --clients "$clients" --connect-concurrency 50 --report-interval-seconds 10 --label hub \
    --watch "hub=$hub_pid,influxd=$influx_pid" --csv "$csv" || echo "compare: the fan-out probe did not connect every client or matched nothing" >&2
  stop $hub_pid $influx_pid
fi

echo "load average at end: $(load); $SECONDS s in all"
python3 bench/table.py "$csv" $quick
