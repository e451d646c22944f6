#!/bin/bash
# Runs once, when the influxdb container sets up a new instance (DOCKER_INFLUXDB_INIT_MODE=setup).
# The hub reads history with InfluxQL through the v1-compatible /query endpoint, which finds a bucket
# only through a DBRP mapping: map database "facility", retention policy "autogen" to the bucket.
# The entrypoint has configured the influx CLI (host, org, admin token) and exported the bucket's id.
set -euo pipefail

: "${DOCKER_INFLUXDB_INIT_BUCKET_ID:?the influxdb image exports it after setup}"

influx v1 dbrp create \
  --db facility \
  --rp autogen \
  --bucket-id "$DOCKER_INFLUXDB_INIT_BUCKET_ID" \
  --default

echo "facility/autogen mapped to bucket ${DOCKER_INFLUXDB_INIT_BUCKET} (${DOCKER_INFLUXDB_INIT_BUCKET_ID})"
