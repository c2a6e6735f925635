#!/usr/bin/env bash
# rules_only.sh TAGS - prints rules/gxnu.zd with only the rules carrying one
# of TAGS (comma-separated): its header, bindings and parameters, then those
# rules. Used by compare.sh and pairs.sh to time rules alone.
set -eu
cd "$(dirname "$0")/.."
awk -v tags="$1" 'BEGIN { n = split(tags, T, ","); for (i = 1; i <= n; i++) want[T[i]] = 1 }
  /^rule / { inrule = 1; buf = ""; keep = 0 }
  inrule { buf = buf $0 "\n"
           if ($1 == "tags") for (i = 2; i <= NF; i++) if (want[$i]) keep = 1
           if ($0 ~ /^}/) { inrule = 0; if (keep) printf "%s", buf }
           next }
  { print }' rules/gxnu.zd
