#!/usr/bin/env bash
# Makes sure a CJK font is installed: the comparison report's charts and HTML show Chinese indicator names.
# Debian's fonts-wqy-microhei (1.6 MB) is installed when no CJK font is found and apt-get can run (root, or
# sudo without a password). Otherwise it says what to install; the report then stops with the same advice.
set -u
if fc-list :lang=zh 2>/dev/null | grep -q . || ls /usr/share/fonts/truetype/wqy/*.tt[cf] \
    /usr/share/fonts/opentype/noto/*CJK*.tt[cf] >/dev/null 2>&1; then
  exit 0
fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
if command -v apt-get >/dev/null 2>&1 && "${as_root[@]}" true 2>/dev/null; then
  echo "installing a CJK font (Debian fonts-wqy-microhei) for the comparison report"
  "${as_root[@]}" apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq fonts-wqy-microhei >/dev/null && exit 0
fi
echo "warning: no CJK font found; install one (apt-get install fonts-wqy-microhei, or fonts-noto-cjk)" \
     "for the comparison report" >&2
exit 0
