#!/bin/sh
# Starts Prism by hand on the merged spec, as tests/tests/it/prism.rs does:
#   tests/prism/mock.sh            static mode (answers with the examples)
#   tests/prism/mock.sh -d         dynamic mode (invents responses)
# Extra arguments go to `prism mock` (e.g. `--port 4011`). Listens on
# 127.0.0.1:4010 unless told otherwise. Installs Prism first (npm ci) if needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prism=${PRISM_BIN:-"$here/node_modules/.bin/prism"}
if [ ! -x "$prism" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts)
fi
spec=$(mktemp "${TMPDIR:-/tmp}/prism-spec.XXXXXX")
trap 'rm -f "$spec"' EXIT INT TERM
(cd "$root" && cargo xtask merge --spec specs --out "$spec")
"$prism" mock --host 127.0.0.1 --errors "$@" "$spec"
