#!/usr/bin/env bash
# One-shot, idempotent setup of a fresh Debian machine for development and CI:
# system packages via apt (only when some are missing), then a virtual
# environment in .venv with the dev tools and this project (editable).
# Re-running is fast: pip is skipped while the stamp in .venv matches.
set -euo pipefail

# Debian packages the tests need. Add more here (e.g. chromium).
APT_PACKAGES="curl socat wrk chromium redis-server slowhttptest"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
VENV="$REPO_ROOT/.venv"
STAMP="$VENV/.setup-stamp"
PYTHON="${PYTHON:-python3}"

log() { echo "setup: $*" >&2; }

# ---- system packages -------------------------------------------------------
apt_missing() {
    local pkg missing=""
    for pkg in $APT_PACKAGES "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing="$missing $pkg"
        fi
    done
    echo "$missing"
}

extra_pkgs=""
# python3 -m venv needs ensurepip; Debian's own python3 ships it separately.
if ! "$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1; then
    extra_pkgs="python3-venv"
fi

if command -v dpkg-query >/dev/null 2>&1; then
    missing="$(apt_missing $extra_pkgs)"
    if [ -n "${missing// /}" ]; then
        SUDO=""
        if [ "$(id -u)" -ne 0 ]; then
            if command -v sudo >/dev/null 2>&1; then
                SUDO="sudo -n"
            else
                log "WARNING: not root and no sudo; cannot install:$missing"
                SUDO="skip"
            fi
        fi
        if [ "$SUDO" != "skip" ]; then
            log "installing Debian packages:$missing"
            export DEBIAN_FRONTEND=noninteractive
            $SUDO apt-get update -q
            # shellcheck disable=SC2086
            $SUDO apt-get install -y -q --no-install-recommends $missing
        fi
    fi
else
    log "WARNING: not a Debian system (no dpkg-query); skipping apt packages: $APT_PACKAGES"
fi

# ---- virtual environment ---------------------------------------------------
hash_inputs() {
    cat requirements-dev.txt pyproject.toml tools/setup.sh | sha256sum | cut -d' ' -f1
}
want="$(hash_inputs)"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
        && [ -x "$VENV/bin/micropython" ]; then
    log "up to date"
    exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
rm -f "$STAMP"
log "installing Python packages"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e .
# utemplate's sdist has no setup.py: pip cannot install it (tests/test_utemplate_real.py)
"$VENV/bin/python" tools/install_utemplate.py

if ! "$VENV/bin/micropython" -c "import sys; print(sys.implementation.name)" >/dev/null; then
    log "ERROR: $VENV/bin/micropython does not run"
    exit 1
fi
echo "$want" > "$STAMP"
log "done"
