#!/usr/bin/env bash
# Install Debian's chromium for the end-to-end browser test (tests/test_browser.py).
# Best effort, never fails `make test`: it returns at once when chromium is installed, installs
# it with apt-get as root (or with password-less sudo), and otherwise prints how to install it
# and exits 0 -- the browser test then skips with the reason "chromium is not installed".
# Playwright (pip package, installed with the `test` extra) drives /usr/bin/chromium; no
# browser is downloaded by Playwright itself (never run `playwright install`).
set -uo pipefail

skip() {
    echo "install_browser.sh: $1" >&2
    echo "install_browser.sh: the browser test will be skipped; to run it, install chromium" \
        "(e.g. 'sudo apt-get install chromium') and run make test again" >&2
    exit 0
}

if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    echo "chromium already installed: $(command -v chromium || command -v chromium-browser)"
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || skip "no apt-get on this system to install chromium"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        skip "chromium is not installed and installing it needs root (or password-less sudo)"
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || skip "apt-get update failed"
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null \
    || skip "apt-get install chromium failed"
echo "chromium installed: $(command -v chromium)"
