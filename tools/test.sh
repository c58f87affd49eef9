#!/usr/bin/env bash
# THE one command that sets up and runs the whole test suite:
#   1. tools/setup.sh             (apt packages, .venv, dev tools; fast when done)
#   2. pytest on CPython          (all of tests/)
#   3. the same tests on MicroPython, default heap
#   4. the same tests on MicroPython with a device-sized heap ($MP_SMALL_HEAP)
# All three test runs always run; the exit status is non-zero if any failed
# (pytest's "no tests collected", exit 5, counts as a failure). The last line
# adds up the three runs: "total: N passed, N failed, N skipped".
set -uo pipefail

# Heap for the device-sized MicroPython run (micropython -X heapsize=...).
MP_SMALL_HEAP="${MP_SMALL_HEAP:-256k}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
PY="$REPO_ROOT/.venv/bin/python"

bash tools/setup.sh || { echo "test.sh: tools/setup.sh failed" >&2; exit 1; }

LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT
status=0

echo "==== pytest (CPython $("$PY" -c 'import sys; print(sys.version.split()[0])')) ===="
"$PY" -m pytest 2>&1 | tee "$LOGS/pytest.log"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 5 ] && echo "test.sh: pytest collected no tests"
    echo "test.sh: pytest failed (exit $rc)"
    status=1
fi

echo "==== MicroPython (default heap) ===="
"$PY" tools/run_mp_tests.py 2>&1 | tee "$LOGS/mp-default.log"
rc=${PIPESTATUS[0]}
[ "$rc" -ne 0 ] && { echo "test.sh: MicroPython tests failed (exit $rc)"; status=1; }

echo "==== MicroPython (heap $MP_SMALL_HEAP) ===="
"$PY" tools/run_mp_tests.py --heapsize "$MP_SMALL_HEAP" 2>&1 | tee "$LOGS/mp-small.log"
rc=${PIPESTATUS[0]}
[ "$rc" -ne 0 ] && { echo "test.sh: MicroPython tests with heap $MP_SMALL_HEAP failed (exit $rc)"; status=1; }

if [ "$status" -ne 0 ]; then
    echo "test.sh: FAILED"
else
    echo "test.sh: all passed"
fi
# Add up the closing lines of the three runs.
"$PY" - "$LOGS/pytest.log" "$LOGS/mp-default.log" "$LOGS/mp-small.log" <<'PYEOF'
import re, sys
total = {'passed': 0, 'failed': 0, 'skipped': 0}
alias = {'passed': 'passed', 'xpassed': 'passed', 'failed': 'failed', 'error': 'failed',
         'errors': 'failed', 'skipped': 'skipped', 'xfailed': 'skipped'}
for name in sys.argv[1:]:
    lines = [l.strip() for l in open(name, errors='replace') if l.strip()]
    # pytest: "3 failed, 17 passed, 2 skipped in 0.11s" (maybe wrapped in '=' signs)
    # run_mp_tests: "micropython: 14 passed, 0 failed, 1 skipped"
    for line in reversed(lines):
        counts = re.findall(r'(\d+) (passed|xpassed|failed|errors?|skipped|xfailed)\b', line)
        if counts and (' in ' in line or line.startswith('micropython:')):
            for n, word in counts:
                total[alias[word]] += int(n)
            break
print('total: %(passed)d passed, %(failed)d failed, %(skipped)d skipped' % total)
PYEOF

exit "$status"
