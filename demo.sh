#!/usr/bin/env bash
# The main job, end to end on this machine: restores and builds agent, then shows it working in a temporary Git
# repository seeded with real artifacts from shared/corpus. Nothing outside the temporary folder is touched.
set -euo pipefail
cd "$(dirname "$0")"
repo="$(pwd)"

dotnet build src/AgentSync.Cli -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
agent="$repo/src/AgentSync.Cli/bin/Release/net10.0/agent"

corpus=""
for dir in "$repo/.." "$repo/../.." "$repo"; do
  if [ -d "$dir/shared/corpus/agentic-dev/.agent" ]; then corpus="$(cd "$dir/shared/corpus/agentic-dev" && pwd)"; break; fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
run() { printf '\n\033[1m$ agent %s\033[0m\n' "$*"; "$agent" "$@" || printf '(exit %s)\n' "$?"; }

cd "$work"
git init -q -b main alice && cd alice
git config user.email alice@example.com && git config user.name Alice
if [ -n "$corpus" ]; then
  cp -r "$corpus/.agent" .
  echo "seeded $(find .agent -type f | wc -l) real artifacts from $corpus"
fi

run sync init
if [ -n "$corpus" ]; then
  printf '\nthe corpus really has two stories numbered INFRA-040 and two numbered INFRA-123; give the second of each a free id:\n'
  for pair in INFRA-040-restore-silero-vad-with-webrtc-fallback:INFRA-186 INFRA-123-refactor-core-context-and-orchestrator-modules-to-pass-loc-quality-gate:INFRA-187; do
    dup="${pair%%:*}"; new="${pair##*:}"; old="$(cut -d- -f1-2 <<<"$dup")"
    sed -i "1s/^# $old:/# $new:/" ".agent/cache/stories/INFRA/$dup.md"
    mv ".agent/cache/stories/INFRA/$dup.md" ".agent/cache/stories/INFRA/$new-${dup#INFRA-[0-9][0-9][0-9]-}.md"
    echo "  $old -> $new: ${dup#INFRA-[0-9][0-9][0-9]-}"
  done
  run sync import
fi
story="$("$agent" new-story INFRA "Export audit trail as CSV")"
printf '\n\033[1m$ agent new-story INFRA "Export audit trail as CSV"\033[0m\n%s\n' "$story"
id="$(basename "$story" | cut -d- -f1-2)"
run new-runbook "$id"
run list --state DRAFT
printf '\nedit the new story by hand...\n'
sed -i 's/^What problem are we solving?$/Auditors need the trail in a spreadsheet./' "$story"
run sync status
run sync import
run sync export --dir "$work/exported"
printf '\nexported tree vs working tree: '
if diff -r -q "$work/exported/.agent/cache" .agent/cache -x agent.db -x 'agent.db-*' -x agent.lock -x .gitignore >/dev/null; then echo identical; else echo DIFFERENT; exit 1; fi
