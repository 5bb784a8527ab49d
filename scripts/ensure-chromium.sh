#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright's own download does not work offline).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's Chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
Chromium is missing and this user cannot install it.
Ask an administrator to run:  sudo apt-get install -y chromium
then run `make test` again.
MSG
exit 1
