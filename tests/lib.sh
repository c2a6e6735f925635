# lib.sh - the preamble the file-driven test scripts share, sourced as
# `. "$(dirname "$0")/lib.sh"` with the script's ZHIDU argument in $1: sets
# zhidu (made absolute), root (the repository, also the working directory
# from here on) and tmp (a fresh directory removed when the script exits).
# Not a test itself: tests/run.sh skips it.
set -u
zhidu=$1
case $zhidu in /*) ;; *) zhidu=$PWD/$zhidu ;; esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
