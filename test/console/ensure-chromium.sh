#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests (test/console/).
# Called by .ci/run; safe to run again. Override the binary with CHROMIUM_PATH.
# (For readable Chinese in screenshots also install fonts-noto-cjk; the tests do not need it.)
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
  echo "chromium present: $("$bin" --version 2>/dev/null || echo "$bin")"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium missing at $bin and apt-get is not available: install Chromium or set CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "installing chromium with apt-get"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$bin" --version
