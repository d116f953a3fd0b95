#!/usr/bin/env bash
# Runs EndpointFuzzTest (jetty-example) with the full share of generated requests against a
# running example on loopback. `mvn verify` runs a reduced share (oauthlet.fuzz.tries in
# jetty-example/pom.xml); this sends TRIES (default 100000). Nothing is installed into ~/.m2:
# the reactor builds what the test needs; the example's process tests (failsafe) are skipped.
#   benchmarks/fuzz.sh [TRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
TRIES="${1:-100000}"
exec mvn -B -ntp verify -pl jetty-example -am -Dtest=EndpointFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Doauthlet.fuzz.tries="$TRIES" -Dsurefire.timeout=0 -DskipITs
