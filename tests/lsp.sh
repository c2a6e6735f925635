#!/usr/bin/env bash
# lsp.sh ZHIDU - drives `zhidu lsp` over a pipe (tests/lsp_client.py):
# initialize, diagnostics on open and change, hover, definition across
# extends, document symbols, completion, formatting, shutdown and exit, and
# bad input.
# Prints PASS/FAIL per check.
set -u
zhidu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
exec python3 "$(dirname "$0")/lsp_client.py" "$zhidu"
