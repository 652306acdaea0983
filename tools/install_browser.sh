#!/usr/bin/env bash
# Install Debian's chromium for the end-to-end browser test (tests/test_browser.py).
# Idempotent: returns at once when chromium is already installed. Playwright (pip package,
# installed with the `test` extra) drives /usr/bin/chromium; no browser is downloaded by
# Playwright itself (never run `playwright install`).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    echo "chromium already installed: $(command -v chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install_browser.sh: need root (or sudo) to apt-get install chromium" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium installed: $(command -v chromium)"
