#!/usr/bin/env bash
# The README's second command: builds and runs every test, then prints "N passed, N failed".
# PostgreSQL comes from COMMUNITYFUNNEL_TEST_POSTGRES, else Testcontainers, else a throwaway local cluster.
# Browser tests need Chromium at /usr/bin/chromium and are skipped (saying so) where it is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/poster-font.sh # the poster tests check that Chinese names render

results=TestResults/trx
rm -rf "$results"
dotnet test --solution CommunityFunnel.sln --report-trx --results-directory "$PWD/$results" "$@"
status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY

if [ "$status" -eq 0 ] && ! ls "$results"/*.trx >/dev/null 2>&1; then
  echo "no test results were written" >&2
  exit 1
fi
exit "$status"
