#!/usr/bin/env bash
# Prints the path of a working Python >= 3.12 interpreter (Mesa >= 3.4 needs it).
# Interpreters are tried by running them, not by name: on pyenv machines `python3.12` may be a shim that
# only works when that version is selected.
set -u
candidates=(python3.13 python3.12 python3 python)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in "$root"/versions/3.1[2-9]*/bin/python3; do candidates+=("$v"); done
fi
for c in "${candidates[@]}"; do
  if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    command -v "$c" 2>/dev/null || echo "$c"
    exit 0
  fi
done
echo "no Python >= 3.12 found; install one (e.g. 'pyenv install 3.12' or 'apt-get install python3.12-venv')" >&2
exit 1
