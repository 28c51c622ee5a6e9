#!/usr/bin/env bash
# The Debian packages the book needs beyond Python, installed with apt-get (as root, or through
# sudo) only when one is missing. `make tex`, `make browser` and so `make test` call this, so a
# fresh Debian machine with Python 3.11 and make needs nothing else.
#   pdf      TeX Live for `make pdf` (xelatex, latexmk, fonts) and poppler-utils for its tests
#   browser  Chromium for the browser tests, and npm for axe-core (tests/browser)
# A need written package=command is met by that command, wherever it came from (npm ships with
# some Node.js packages, outside Debian's npm); any other by the installed Debian package.
set -euo pipefail

case "${1:-}" in
  pdf) needs=(texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended
              fonts-freefont-otf texlive-plain-generic lmodern poppler-utils)
       options=(--no-install-recommends) ;;
  browser) needs=(chromium=/usr/bin/chromium npm=npm) options=() ;;
  *) echo "usage: $0 pdf|browser" >&2; exit 2 ;;
esac

missing=()
for need in "${needs[@]}"; do
  if [[ $need == *=* ]]; then
    command -v "${need#*=}" >/dev/null && continue
  elif dpkg-query -W -f='${db:Status-Abbrev}' "$need" 2>/dev/null | grep -q '^ii'; then
    continue
  fi
  missing+=("${need%%=*}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "system_deps.sh: installing ${missing[*]} with apt-get" >&2
sudo=$([[ $(id -u) -eq 0 ]] || echo sudo)
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "${missing[@]}"
