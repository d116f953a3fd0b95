#!/usr/bin/env bash
# The soak (docs/security.md, "Soak"): two example nodes (the runnable jar, separate JVMs) on one
# embedded PostgreSQL, mixed load on loopback for MINUTES (default 10), the database stopped in the
# middle for 30 s. Writes the report to benchmarks/target/soak-report.md; exits 1 on a violation.
#   benchmarks/soak.sh [MINUTES] [more Soak options, e.g. --rolling-restart-at 7 --hook '8:./rotate.sh']
# The run docs/security.md reports, with a rolling restart of both nodes and scheduled key rotation:
#   benchmarks/soak.sh 10 --outage-at 5 --outage 30 --rolling-restart-at 2 --rotation 120
# Builds with `package` (never `install`): nothing lands in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-10}"
shift || true
mvn -B -ntp -q -DskipTests package -pl benchmarks,jetty-example -am
exec java -cp benchmarks/target/benchmarks.jar dev.oauthlet.benchmarks.Soak --jar jetty-example/target/jetty-example.jar \
  --minutes "$MINUTES" --report benchmarks/target/soak-report.md "$@"
