#!/usr/bin/env bash
# Installs the system libraries the app needs, only when one is missing:
# Pango for WeasyPrint (certificate PDFs), HarfBuzz's subsetter so WeasyPrint
# embeds font subsets quickly, a font to render with, and Chromium for the
# browser tests (Playwright drives the system's; it cannot fetch its own here).
# Usage: system-deps.sh [--bench]
set -euo pipefail

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# `--bench`: also the HTTP load generator the benchmark drives the API with.
[ "${1:-}" != "--bench" ] || command -v wrk >/dev/null || missing+=(wrk)

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. Install their equivalents with your package manager." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
