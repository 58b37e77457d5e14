#!/usr/bin/env bash
# Publishes the agent CLI the way users get it (Release, linux-x64, Native AOT) and runs the bench against it.
# The Markdown tables go to stdout, progress and build output to stderr:
#   bench/run.sh [--count N] [--quick] [--keep] [--corpus DIR] > bench/RESULTS.md
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
dotnet publish src/AgentSync.Cli -c Release -r linux-x64 -o .build/agent -v quiet -nologo >&2
dotnet build bench/AgentSync.Bench -c Release -v quiet -nologo >&2
exec dotnet bench/AgentSync.Bench/bin/Release/net10.0/AgentSync.Bench.dll --agent "$repo/.build/agent/agent" "$@"
