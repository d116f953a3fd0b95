#!/usr/bin/env bash
# Oauthlet and Spring Authorization Server side by side over loopback HTTP; see docs/benchmarks.md.
#   benchmarks/run.sh           full run: prints the table, rewrites docs/benchmarks.md and docs/benchmarks.png
#   benchmarks/run.sh --quick   shorter rounds, one start each, for development; writes under benchmarks/target/ only
#   benchmarks/run.sh [--quick] PART,...   only those parts (e.g. authorize, or grants,resources), printed, nothing written
# Both modes take some minutes on a quiet 2-core machine, more when it is busy; either is cut off at 45 minutes.
# Builds what it runs (the Oauthlet reactor without tests, and benchmarks/spring-as on its own), installs wrk
# with apt-get when it is missing, and binds 127.0.0.1 only. Every server it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=full
usage() { echo "usage: benchmarks/run.sh [--quick] [PART,...]" >&2; exit 2; }
if [ "${1:-}" = "--quick" ]; then mode=quick; shift; fi
parts="${1:-}"
case "$parts" in -*) usage ;; esac
[ $# -le 1 ] || usage

need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v fc-list >/dev/null || need_apt+=(fontconfig fonts-dejavu-core)   # the chart's text
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq "${need_apt[@]}"
fi

# package, never install: the shared ~/.m2 must not receive this checkout's SNAPSHOTs.
mvn -B -ntp -q -DskipTests package
mvn -B -ntp -q -DskipTests -f benchmarks/spring-as/pom.xml package

# The whole run is bounded: the driver gives up on a server that gives no token within 180 s, and this on the run.
limit=2700
exec timeout --kill-after=30 "$limit" java -cp benchmarks/target/benchmarks.jar dev.oauthlet.benchmarks.SideBySide "$PWD" "$mode" ${parts:+"$parts"}
