#!/usr/bin/env bash
# Makes sure a headless browser is installed for the report layout check (tests/test_report_pages.py,
# scripts/check_report_layout.py). CI calls it; `make install` does not (the check is skipped without one).
# Installs Debian's chromium (about 100 MB download) when apt-get can run as root; otherwise says what to do.
set -u
for b in chromium chromium-browser google-chrome google-chrome-stable; do
  command -v "$b" >/dev/null 2>&1 && exit 0
done
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
if command -v apt-get >/dev/null 2>&1 && "${as_root[@]}" true 2>/dev/null; then
  echo "installing Debian's chromium for the report layout check"
  "${as_root[@]}" apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium \
      >/dev/null && exit 0
fi
echo "warning: no Chromium; the report layout check is skipped (apt-get install chromium)" >&2
exit 0
