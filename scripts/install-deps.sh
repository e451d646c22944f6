#!/usr/bin/env bash
# Installs the Debian packages FacilityHub's tests and ./run.sh need, if any are missing, and checks
# that the .NET SDK is there. Idempotent and silent when everything is present.
#
# The servers (mosquitto, influxd, redis-server) are always started by the test fixtures or by
# ./run.sh as our own instances, on our own ports, with our own config and data directories. The
# system-wide services that Debian's packages would start on their default ports are not used, so
# this script keeps them from starting and stops them if a postinst started them anyway.
set -euo pipefail

# package -> the command it provides (checked too: a package can be "installed" with the binary removed)
declare -A PROVIDES=(
  [mosquitto]=/usr/sbin/mosquitto
  [mosquitto-clients]=/usr/bin/mosquitto_pub
  [influxdb]=/usr/bin/influxd
  [influxdb-client]=/usr/bin/influx
  [redis-server]=/usr/bin/redis-server
  [chromium]=/usr/bin/chromium
  [curl]=/usr/bin/curl
  [fonts-ipafont-gothic]=/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf
  [python3]=/usr/bin/python3
)
# A Japanese font, so that Chromium's screenshots of the dashboard show text instead of boxes.
PACKAGES=(mosquitto mosquitto-clients influxdb influxdb-client redis-server chromium curl fonts-ipafont-gothic python3)
# Debian's init scripts / systemd units installed by those packages.
SERVICES=(mosquitto influxdb redis-server)

say() { printf 'install-deps: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- .NET SDK (preinstalled on our machines; not installed from here) --------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  die "'dotnet' is not on PATH. FacilityHub needs the .NET 10 SDK (global.json pins 10.0.100 or a later feature band); install it and re-run."
fi
if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  die "no .NET 10 SDK found ('dotnet --list-sdks' shows: $(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')); FacilityHub targets net10.0."
fi

# --- Debian packages ---------------------------------------------------------------------------
is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && [ -e "${PROVIDES[$1]}" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: this script supports Debian/Ubuntu only."

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "missing packages (${missing[*]}); run as root or install them: apt-get install ${missing[*]}"
  SUDO=(sudo -n)
fi

# Were the services running before we touched anything? Then they are someone else's: leave them.
declare -A RUNNING_BEFORE=()
service_running() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl is-active --quiet "$1" 2>/dev/null
  elif [ -x "/etc/init.d/$1" ]; then
    "/etc/init.d/$1" status >/dev/null 2>&1
  else
    return 1
  fi
}
for svc in "${SERVICES[@]}"; do
  service_running "$svc" && RUNNING_BEFORE[$svc]=1
done

# policy-rc.d exiting 101 tells invoke-rc.d/deb-systemd-invoke not to start services from postinst.
# Many containers already have one; only add (and later remove) ours when there is none.
POLICY=/usr/sbin/policy-rc.d
added_policy=0
cleanup_policy() {
  if [ "$added_policy" -eq 1 ]; then
    "${SUDO[@]}" rm -f "$POLICY"
  fi
}
trap cleanup_policy EXIT
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\n# Temporary, from FacilityHub scripts/install-deps.sh: do not start services during install.\nexit 101\n' \
    | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  added_policy=1
fi

say "installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
log=$(mktemp)
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"
  die "apt-get update failed"
fi
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install "${missing[@]}" </dev/null >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"
  die "apt-get install ${missing[*]} failed"
fi
rm -f "$log"

# Stop (and keep from starting at boot) the system-wide services the install may have started:
# they would sit on the default ports 1883/6379/8086 that ./run.sh uses.
for svc in "${SERVICES[@]}"; do
  [ -n "${RUNNING_BEFORE[$svc]:-}" ] && continue
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || true
  elif service_running "$svc"; then
    "${SUDO[@]}" "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
  fi
  if service_running "$svc"; then
    say "warning: Debian's $svc service is still running; FacilityHub does not use it, but it may hold a default port"
  fi
done

still=()
for pkg in "${missing[@]}"; do
  is_installed "$pkg" || still+=("$pkg")
done
[ ${#still[@]} -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
say "installed: ${missing[*]}"
