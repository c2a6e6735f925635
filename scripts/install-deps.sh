#!/usr/bin/env bash
# install-deps.sh - installs the Debian packages zhidu needs, only those missing.
# Uses sudo when not root. Safe to run again: does nothing when all are present.
set -euo pipefail

# package : a file it provides (checked instead of asking dpkg, so it also works
# when the tools came from elsewhere)
need=(
  "gcc:/usr/bin/gcc"
  "make:/usr/bin/make"
  "flex:/usr/bin/flex"
  "bison:/usr/bin/bison"
  "pkg-config:/usr/bin/pkg-config"
  "libsqlite3-dev:/usr/include/sqlite3.h"
  "libcsv-dev:/usr/include/csv.h"
  "libcmocka-dev:/usr/include/cmocka.h"
  "chromium:/usr/bin/chromium"   # tests/browser.sh renders the HTML report in it (headless)
  "libjansson-dev:/usr/include/jansson.h"
)
missing=()
for entry in "${need[@]}"; do
  pkg=${entry%%:*}; file=${entry#*:}
  [ -e "$file" ] || missing+=("$pkg")
done
# the test scripts and the example generators use python3 (standard library only)
command -v python3 >/dev/null || missing+=(python3)
if [ "${ZHIDU_WITH_CLANG:-0}" = 1 ] && ! command -v clang >/dev/null; then missing+=(clang); fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
