#!/usr/bin/env bash
# Prints an influxd 1.x configuration that keeps everything under DIR and listens on loopback only.
# One config for ./run.sh, the benchmarks and the tests' InfluxServer.
#   scripts/influxd-conf.sh DIR HTTP_PORT RPC_PORT > DIR/influxdb.conf
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 DIR HTTP_PORT RPC_PORT" >&2; exit 2; }
dir=$1 http_port=$2 rpc_port=$3
cat <<CONF
# Written by scripts/influxd-conf.sh; edit that script instead.
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"

[meta]
  dir = "$dir/meta"
  logging-enabled = false

[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
  # Bodies of any size: the hub bounds its own (Influx:BatchSize), and a refused body would read as lost points.
  max-body-size = 0

[logging]
  level = "warn"

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[subscriber]
  enabled = false
CONF
