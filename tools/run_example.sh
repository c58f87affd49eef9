#!/usr/bin/env bash
# THE one command that sets up and starts the example app
# (board_examples/hello/main.py) on http://127.0.0.1:8000:
#
#   bash tools/run_example.sh                 # on CPython (the project .venv)
#   bash tools/run_example.sh --micropython   # on the MicroPython unix port
#
# Any other arguments go to "microdot run" (e.g. --debug, --port 8080,
# --max-connections 4). Stop the server with Ctrl-C.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

runtime=cpython
args=()
for arg in "$@"; do
    case "$arg" in
        --micropython) runtime=micropython ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done

bash tools/setup.sh

APP=board_examples/hello/main.py
if [ "$runtime" = micropython ]; then
    # MICROPYPATH replaces the default module path: keep ".frozen", where
    # the firmware's own modules (asyncio among them) live.
    export MICROPYPATH="$REPO_ROOT/microdot_src:.frozen"
    exec "$REPO_ROOT/.venv/bin/micropython" -m microdot run "$APP" \
        --host 127.0.0.1 --port 8000 ${args[@]+"${args[@]}"}
fi
PYTHONUNBUFFERED=1 exec "$REPO_ROOT/.venv/bin/python" -m microdot run "$APP" \
    --host 127.0.0.1 --port 8000 ${args[@]+"${args[@]}"}
