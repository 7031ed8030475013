#!/usr/bin/env bash
# The README's first command: builds and starts CommunityFunnel at http://localhost:5080 with demo data.
# Without ConnectionStrings__CommunityFunnel it starts (and keeps) a private local PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${ConnectionStrings__CommunityFunnel:-}" ]; then
  ConnectionStrings__CommunityFunnel=$(scripts/local-postgres.sh start)
  export ConnectionStrings__CommunityFunnel
fi

scripts/poster-font.sh

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://localhost:5080}
# A silent first build looks like a hang: say what is happening, and show the build's own progress.
echo "CommunityFunnel: building (the first build restores packages and takes a minute or two)..." >&2
dotnet build src/CommunityFunnel.Web -nologo -v minimal -clp:NoSummary >&2
cat >&2 <<MSG

  CommunityFunnel is starting at $ASPNETCORE_URLS (the first start also creates the database and seeds demo data)
  Sign in as admin@communityfunnel.local / demo-admin-2026
  or as the demo operator operator@communityfunnel.local / demo-operator-2026 (runs two of the three groups).

MSG
exec dotnet run --project src/CommunityFunnel.Web --no-launch-profile --no-build
