#!/usr/bin/env bash
# Restores, builds and runs the whole test suite, then prints the totals as one line: "N passed, N failed".
# The suite starts its own PostgreSQL server from the binaries `pg_config --bindir` names; on a fresh Debian machine
# this script installs them first (as root) or says how.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v pg_config >/dev/null 2>&1 || [ ! -x "$(pg_config --bindir 2>/dev/null)/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing PostgreSQL server binaries (apt-get install postgresql)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "test.sh: PostgreSQL server binaries are missing; install them (Debian/Ubuntu: sudo apt-get install -y postgresql) and run again" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

if ! dotnet build AgentSync.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"
  exit 1
fi

# The end-to-end tests run the agent as users get it: published ahead of time (Native AOT), which needs a C toolchain.
if ! command -v gcc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing a C toolchain for the Native AOT build (apt-get install gcc zlib1g-dev)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc zlib1g-dev >/dev/null
  fi
fi
if ! dotnet publish src/AgentSync.Cli -c Release -r linux-x64 -o "$results/agent" -nologo -clp:ErrorsOnly >&2; then
  echo "test.sh: the Native AOT publish of the agent failed (it needs gcc or clang: sudo apt-get install -y gcc zlib1g-dev)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export AGENT_SYNC_TEST_AGENT="$results/agent/agent"

dotnet test AgentSync.slnx -c Release --no-build -nologo \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" \
  --blame-hang-timeout 10m -- RunConfiguration.CollectSourceInformation=false
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner itself failed (crash, hang): never report a clean run
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
