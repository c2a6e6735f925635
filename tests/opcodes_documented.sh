#!/usr/bin/env bash
# opcodes_documented.sh - every opcode of runtime/opcodes.def has a row in
# docs/bytecode.md, and the doc names no opcode that does not exist.
set -u
cd "$(dirname "$0")/.."
ops=$(sed -n 's/^OP(\([A-Z_]*\),.*/\1/p' runtime/opcodes.def)
for op in $ops; do
  if grep -q "^| \`$op\` |" docs/bytecode.md; then echo "PASS opcode $op documented"; else echo "FAIL opcode $op: no row in docs/bytecode.md"; fi
done
for op in $(sed -n 's/^| `\([A-Z_]*\)` |.*/\1/p' docs/bytecode.md); do
  echo "$ops" | grep -qx "$op" || echo "FAIL docs/bytecode.md documents $op, which opcodes.def does not declare"
done
