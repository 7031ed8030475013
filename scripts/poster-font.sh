#!/usr/bin/env bash
# Share posters draw Chinese names and offers with WenQuanYi Zen Hei (PosterFonts looks for it where Debian puts it).
# As root on Debian or Ubuntu, installs it where it is missing; otherwise says what posters will lack. Never fails.
set -euo pipefail
font=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
[ -e "$font" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "poster-font: installing fonts-wqy-zenhei for the share posters" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei) >/dev/null 2>&1 \
    || echo "poster-font: could not install fonts-wqy-zenhei: posters leave Chinese text out" >&2
else
  echo "poster-font: $font is missing: posters leave Chinese text out until fonts-wqy-zenhei is installed (or Posters__FontFiles__0 names a CJK font)" >&2
fi
