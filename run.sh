#!/usr/bin/env bash
# Runs the whole FacilityHub system on this machine: InfluxDB, the hub (with its embedded MQTT broker),
# the edge simulator and the dashboard, each with its data and log under .run/. Ctrl-C stops everything.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
RUN="$ROOT/.run"
LOGS="$RUN/logs"
INFLUX_DIR="$RUN/influxdb"
CONFIG=Release
BIN="bin/$CONFIG/net10.0"
REGISTRY=config/sites.hitachi.json

INFLUX_PORT=${FH_INFLUX_PORT:-8086}
INFLUX_RPC_PORT=${FH_INFLUX_RPC_PORT:-8088}
HUB_PORT=${FH_HUB_PORT:-5080}
MQTT_PORT=${FH_MQTT_PORT:-1883}
DASHBOARD_PORT=${FH_DASHBOARD_PORT:-5081}
STATUS_EVERY=${FH_STATUS_EVERY:-60}

usage() {
  cat <<EOF
Usage: ./run.sh [--no-build] [--help]

Builds FacilityHub ($CONFIG) and runs, on 127.0.0.1, until Ctrl-C:
  influxd    InfluxDB 1.x   http://127.0.0.1:$INFLUX_PORT    data in .run/influxdb/
  hub        REST + SignalR http://127.0.0.1:$HUB_PORT, embedded MQTT broker on 127.0.0.1:$MQTT_PORT
  edge       simulator publishing every site of $REGISTRY over MQTT every 5 s, as agent edge-sim; outbox in .run/edge/
  dashboard  http://127.0.0.1:$DASHBOARD_PORT (sign in: demo users and passwords in .run/secrets/users.txt)
Logs: .run/logs/<name>.log. Debian packages are installed first if missing (scripts/install-deps.sh).

Options:
  --no-build   run what is already built (src/*/$BIN) instead of building first
  -h, --help   show this help

Environment:
  FH_HUB_PORT (5080)  FH_DASHBOARD_PORT (5081)  FH_MQTT_PORT (1883)
  FH_INFLUX_PORT (8086)  FH_INFLUX_RPC_PORT (8088)  FH_STATUS_EVERY (60, seconds between status lines; 0 = none)
EOF
}

build=1
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --no-build) build=0 ;;
    -*) echo "run.sh: unknown option '$1' (try ./run.sh --help)" >&2; exit 2 ;;
    *) echo "run.sh: unexpected argument '$1': run.sh takes no arguments (try ./run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '%s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# --- settings ------------------------------------------------------------------------------------
declare -A PORT_VARS=(
  [FH_INFLUX_PORT]=$INFLUX_PORT [FH_INFLUX_RPC_PORT]=$INFLUX_RPC_PORT [FH_HUB_PORT]=$HUB_PORT
  [FH_MQTT_PORT]=$MQTT_PORT [FH_DASHBOARD_PORT]=$DASHBOARD_PORT)
declare -A SEEN=()
for var in "${!PORT_VARS[@]}"; do
  port=${PORT_VARS[$var]}
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
    || { echo "run.sh: $var='$port' is not a port number (1-65535)" >&2; exit 2; }
  [ -z "${SEEN[$port]:-}" ] || { echo "run.sh: $var and ${SEEN[$port]} are both $port; each needs its own port" >&2; exit 2; }
  SEEN[$port]=$var
done
[[ "$STATUS_EVERY" =~ ^[0-9]+$ ]] || { echo "run.sh: FH_STATUS_EVERY='$STATUS_EVERY' must be a number of seconds" >&2; exit 2; }

mkdir -p "$LOGS" "$INFLUX_DIR"

# One run.sh at a time per checkout: the second would find every port taken anyway, but say why.
if [ -f "$RUN/run.pid" ]; then
  other=$(cat "$RUN/run.pid" 2>/dev/null || true)
  if [ -n "$other" ] && [ "$other" != $$ ] && kill -0 "$other" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$other/cmdline" 2>/dev/null | grep -q 'run\.sh'; then
    die "./run.sh is already running in this checkout (pid $other); stop it with Ctrl-C there or: kill $other"
  fi
fi

bash scripts/install-deps.sh || die "scripts/install-deps.sh failed"
command -v curl >/dev/null 2>&1 || die "curl is needed to check that the services are up: apt-get install curl"

# --- build -----------------------------------------------------------------------------------------
if [ "$build" -eq 1 ]; then
  say "Building FacilityHub ($CONFIG)… (log: .run/logs/build.log)"
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDTERMINALLOGGER=off
  if ! dotnet build FacilityHub.sln -c "$CONFIG" -nologo -v minimal -nodeReuse:false >"$LOGS/build.log" 2>&1; then
    grep -E ': error [A-Z]+[0-9]*:' "$LOGS/build.log" | sort -u | head -n 30 >&2 || tail -n 30 "$LOGS/build.log" >&2
    die "build failed; full output in .run/logs/build.log"
  fi
fi
for project in Hub Edge Dashboard; do
  [ -f "src/$project/$BIN/FacilityHub.$project.dll" ] \
    || die "src/$project/$BIN/FacilityHub.$project.dll is missing; run ./run.sh without --no-build"
done

# --- ports -----------------------------------------------------------------------------------------
# Prints who listens on the port (empty when it is free).
port_owner() {
  local port=$1 line
  if command -v ss >/dev/null 2>&1; then
    line=$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n 1)
    [ -n "$line" ] || return 0
    if [[ "$line" =~ users:\(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
      echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
    else
      echo "another process"
    fi
  elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "another process"
  fi
}
check_port() {
  local port=$1 what=$2 var=$3 owner
  owner=$(port_owner "$port")
  [ -z "$owner" ] || die "port $port ($what) is already in use by $owner; stop it, or pick another port with $var=<port>"
}
check_port "$INFLUX_PORT" "InfluxDB HTTP" FH_INFLUX_PORT
check_port "$INFLUX_RPC_PORT" "InfluxDB RPC" FH_INFLUX_RPC_PORT
check_port "$HUB_PORT" "hub HTTP" FH_HUB_PORT
check_port "$MQTT_PORT" "MQTT broker" FH_MQTT_PORT
check_port "$DASHBOARD_PORT" "dashboard HTTP" FH_DASHBOARD_PORT

# --- process supervision ---------------------------------------------------------------------------
NAMES=()
PIDS=()
TIMER=
STOPPING=0
FORCE=0

# Starts "$@" as <name> in its own session (setsid), so the terminal's Ctrl-C reaches only this script,
# which then stops the children in order: dashboard, edge, hub (which flushes to InfluxDB), influxd.
start() {
  local name=$1 log="$LOGS/$1.log"
  shift
  [ -f "$log" ] && mv -f "$log" "$log.previous"
  setsid "$@" </dev/null >"$log" 2>&1 &
  NAMES+=("$name")
  PIDS+=($!)
  echo "$name $!" >>"$RUN/children"
}

# Sends SIGTERM and waits up to $2 seconds, then SIGKILL (at once after a second Ctrl-C).
stop_one() {
  local name=$1 pid=$2 grace=$3 waited=0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$FORCE" -eq 1 ] || [ "$waited" -ge $((grace * 5)) ]; then
      say "  $name did not stop within ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  [ "$STOPPING" -eq 0 ] || return 0
  STOPPING=1
  trap 'FORCE=1' INT TERM
  [ -z "$TIMER" ] || { kill "$TIMER" 2>/dev/null || true; wait "$TIMER" 2>/dev/null || true; }
  local i grace order=()
  for ((i = ${#NAMES[@]} - 1; i >= 0; i--)); do order+=("${NAMES[$i]}"); done
  if [ ${#PIDS[@]} -gt 0 ]; then
    say "Stopping ${order[*]}… (Ctrl-C again to kill at once)"
  fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    case "${NAMES[$i]}" in
      hub) grace=20 ;; # its InfluxDB writer flushes queued points for up to 10 s on shutdown
      *) grace=10 ;;
    esac
    stop_one "${NAMES[$i]}" "${PIDS[$i]}" "$grace"
  done
  rm -f "$RUN/children"
  if [ "$(cat "$RUN/run.pid" 2>/dev/null || true)" = $$ ]; then rm -f "$RUN/run.pid"; fi
  [ ${#PIDS[@]} -eq 0 ] || say "Stopped."
}

on_signal() {
  echo
  stop_all
  exit "$1"
}

# Reports a child that exited on its own, with the end of its log, then stops the rest.
child_died() {
  local name=$1 pid=$2 status=${3:-}
  if [ -z "$status" ]; then
    status=0
    wait "$pid" 2>/dev/null || status=$?
  fi
  {
    echo
    echo "run.sh: $name exited unexpectedly (exit status $status). Last lines of .run/logs/$name.log:"
    tail -n 25 "$LOGS/$name.log" | sed 's/^/  | /'
  } >&2
  stop_all
  exit 1
}

check_children() {
  local i
  for i in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$i]}" 2>/dev/null || child_died "${NAMES[$i]}" "${PIDS[$i]}"
  done
}

# Waits until <url> answers <code>, checking meanwhile that no child has died.
wait_http() {
  local what=$1 url=$2 code=$3 timeout=$4 deadline=$((SECONDS + $4)) got
  while :; do
    check_children
    got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    [ "$got" = "$code" ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run.sh: $what did not answer $url with $code within ${timeout}s (last answer: ${got:-none})" >&2
      stop_all
      exit 1
    fi
    sleep 0.5
  done
}

hub_stat() { # prints the number <field> of the hub's /api/stats, or nothing
  sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"
}

trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP
trap 'stop_all' EXIT
echo $$ >"$RUN/run.pid"
: >"$RUN/children"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production

# --- InfluxDB ----------------------------------------------------------------------------------------
scripts/influxd-conf.sh "$INFLUX_DIR" "$INFLUX_PORT" "$INFLUX_RPC_PORT" >"$INFLUX_DIR/influxdb.conf"
say "Starting influxd on 127.0.0.1:$INFLUX_PORT…"
start influxd influxd run -config "$INFLUX_DIR/influxdb.conf"
wait_http influxd "http://127.0.0.1:$INFLUX_PORT/ping" 204 60

# --- agent credentials ---------------------------------------------------------------------------------
# The demo broker is as strict as production: anonymous clients are refused (BrokerAuth:AllowAnonymous
# stays off). Each demo agent gets a random secret, made once and kept in .run/secrets/<agent> (mode 600);
# the hub is given only its hash. edge-sim is the simulator; edge-shelters is for publishing by hand.
SECRETS="$RUN/secrets"
DEMO_AGENTS=(edge-sim edge-shelters)
HUB_AUTH=()
(umask 077 && mkdir -p "$SECRETS")
for agent in "${DEMO_AGENTS[@]}"; do
  secret="$SECRETS/$agent"
  if [ ! -s "$secret" ]; then
    # 24 random bytes as 32 URL-safe characters: easy to paste into mosquitto_pub -P.
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n' >"$secret")
  fi
  if [ ! -s "$secret.hash" ] || [ "$secret" -nt "$secret.hash" ]; then
    dotnet "src/Hub/$BIN/FacilityHub.Hub.dll" hash-secret <"$secret" >"$secret.hash" \
      || die "could not hash the secret of agent $agent (dotnet FacilityHub.Hub.dll hash-secret)"
  fi
  HUB_AUTH+=("--BrokerAuth:Agents:$agent:SecretHash" "$(cat "$secret.hash")")
done

# --- users -----------------------------------------------------------------------------------------------
# The hub's users file, made once: the dashboard's service account (its password in .run/secrets/dashboard) and one
# demo person per role, with random passwords in .run/secrets/users.txt (mode 600). Delete .run/users.json to start over.
USERS="$RUN/users.json"
hub_cli() { dotnet "src/Hub/$BIN/FacilityHub.Hub.dll" "$@"; }
new_secret() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n'; }
if [ ! -s "$USERS" ]; then
  say "Creating demo users in .run/users.json (passwords in .run/secrets/users.txt)…"
  rm -f "$USERS" "$SECRETS/users.txt"
  (umask 077 && new_secret >"$SECRETS/dashboard")
  hub_cli users add dashboard --role service --display-name "dashboard (service account)" --users-file "$USERS" \
    <"$SECRETS/dashboard" >/dev/null || die "could not create the dashboard's service account (FacilityHub.Hub.dll users add)"
  (umask 077 && : >"$SECRETS/users.txt")
  for entry in "it:it:IT staff" "hq:disaster:Disaster HQ" "weather:weather:Weather office" "admin:admin:Administrator"; do
    IFS=: read -r user role display <<<"$entry"
    password=$(new_secret)
    printf '%s\n' "$password" | hub_cli users add "$user" --role "$role" --display-name "$display" --users-file "$USERS" >/dev/null \
      || die "could not create demo user $user"
    printf '%-8s %-9s %s\n' "$user" "$role" "$password" >>"$SECRETS/users.txt"
  done
fi
[ -s "$SECRETS/dashboard" ] || die ".run/users.json exists but .run/secrets/dashboard does not; delete .run/users.json to make the demo users again"

# --- hub -----------------------------------------------------------------------------------------------
say "Starting hub on 127.0.0.1:$HUB_PORT (MQTT on 127.0.0.1:$MQTT_PORT, agents only)…"
start hub dotnet "src/Hub/$BIN/FacilityHub.Hub.dll" --urls "http://127.0.0.1:$HUB_PORT" \
  --Influx:Url "http://127.0.0.1:$INFLUX_PORT" --Broker:Mode Embedded --Broker:Port "$MQTT_PORT" \
  --Sites:RegistryPath "$REGISTRY" --Influx:SpillDirectory "$RUN/spill" "${HUB_AUTH[@]}" \
  --Access:UsersFile "$USERS" --Access:KeysDirectory "$RUN/keys"
wait_http hub "http://127.0.0.1:$HUB_PORT/healthz" 200 90

# --- edge simulator --------------------------------------------------------------------------------
say "Starting edge simulator (agent edge-sim)…"
# The secret goes through the environment, not the command line, where ps would show it.
Mqtt__Password=$(cat "$SECRETS/edge-sim") start edge dotnet "src/Edge/$BIN/FacilityHub.Edge.dll" \
  --Mqtt:Host 127.0.0.1 --Mqtt:Port "$MQTT_PORT" --Mqtt:Username edge-sim \
  --Agent:Id edge-sim --Sites:RegistryPath "$REGISTRY" --Simulator:Interval 00:00:05 \
  --Outbox:Path "$RUN/edge/outbox.db"

# --- dashboard -------------------------------------------------------------------------------------
say "Starting dashboard on 127.0.0.1:$DASHBOARD_PORT…"
start dashboard dotnet "src/Dashboard/$BIN/FacilityHub.Dashboard.dll" --urls "http://127.0.0.1:$DASHBOARD_PORT" \
  --Hub:Url "http://127.0.0.1:$HUB_PORT" --Hub:ServiceUser dashboard --Hub:ServicePasswordFile "$SECRETS/dashboard"
wait_http dashboard "http://127.0.0.1:$DASHBOARD_PORT/account/sign-in" 200 90

# The edge simulator has had the dashboard's start-up time to connect; say if nothing arrived yet.
deadline=$((SECONDS + 20))
received=
# /api/stats needs a signed-in caller with an operations role: run.sh reads it as the dashboard's service account.
sign_in() {
  HUB_TOKEN=$(curl -s --max-time 5 -H 'Content-Type: application/json' \
    --data "{\"user\":\"dashboard\",\"password\":\"$(cat "$SECRETS/dashboard")\"}" \
    "http://127.0.0.1:$HUB_PORT/api/auth/token" 2>/dev/null | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' || true)
}
hub_get() { curl -s --max-time 2 -H "Authorization: Bearer ${HUB_TOKEN:-}" "http://127.0.0.1:$HUB_PORT$1" 2>/dev/null || true; }
sign_in
while [ "$SECONDS" -lt "$deadline" ]; do
  check_children
  stats=$(hub_get /api/stats)
  received=$(hub_stat received "$stats")
  [ "${received:-0}" -gt 0 ] && break
  sleep 1
done
if [ "${received:-0}" -eq 0 ]; then
  say "Note: the hub has received no message from the edge simulator yet; see .run/logs/edge.log"
fi

cat <<EOF

FacilityHub is running.
  Dashboard      http://127.0.0.1:$DASHBOARD_PORT/   (/aps  /shelters  /weather)
  Hub API        http://127.0.0.1:$HUB_PORT/api/latest   /api/sites   /api/stats   /healthz
                 (Authorization: Bearer <token from POST /api/auth/token>; only /healthz is open)
  Users          .run/users.json; manage with: dotnet src/Hub/$BIN/FacilityHub.Hub.dll users list --users-file .run/users.json
  Live stream    http://127.0.0.1:$HUB_PORT/hubs/live (SignalR)
  MQTT broker    127.0.0.1:$MQTT_PORT (embedded in the hub; topics fh/v1/#; agents only, anonymous clients refused;
                 secrets of the demo agents edge-sim and edge-shelters in .run/secrets/)
  InfluxDB       http://127.0.0.1:$INFLUX_PORT (database "facility"; data in .run/influxdb/)
  Logs           .run/logs/{influxd,hub,edge,dashboard}.log
Ctrl-C stops everything.

sign in at http://127.0.0.1:$DASHBOARD_PORT — users and passwords in .run/secrets/users.txt

EOF

# --- supervise -----------------------------------------------------------------------------------------
while :; do
  if [ "$STATUS_EVERY" -gt 0 ]; then
    sleep "$STATUS_EVERY" &
    TIMER=$!
  fi
  who=
  status=0
  # Returns when a child exits, the status timer fires, or a signal arrives (the trap then stops all).
  wait -n -p who "${PIDS[@]}" ${TIMER:+"$TIMER"} || status=$?
  if [ -n "$TIMER" ] && [ "$who" = "$TIMER" ]; then
    TIMER=
    stats=$(hub_get /api/stats)
    # The token lasts Access:TokenLifetime (12 h): sign in again when it no longer works.
    [ -n "$(hub_stat received "$stats")" ] || { sign_in; stats=$(hub_get /api/stats); }
    if [ -n "$(hub_stat received "$stats")" ]; then
      say "$(date +%H:%M:%S)  hub: $(hub_stat received "$stats") received, $(hub_stat stored "$stats") stored, $(hub_stat rejected "$stats") rejected, queue $(hub_stat queueDepth "$stats")"
    else
      say "$(date +%H:%M:%S)  hub: /api/stats did not answer"
    fi
    continue
  fi
  [ -z "$TIMER" ] || { kill "$TIMER" 2>/dev/null || true; wait "$TIMER" 2>/dev/null || true; TIMER=; }
  for i in "${!PIDS[@]}"; do
    [ "${PIDS[$i]}" != "$who" ] || child_died "${NAMES[$i]}" "$who" "$status"
  done
  check_children
done
