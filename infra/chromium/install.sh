#!/usr/bin/env bash
# Installs Debian's Chromium for the streams UI browser tests (driven by Playwright with ExecutablePath; Playwright's
# own browser download is never used). Prints the browser's path. Needs root (CI and the dev machines run as root).
set -euo pipefail

for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then
    echo "$candidate"
    exit 0
  fi
done

if [[ "$(id -u)" != 0 ]]; then
  echo "chromium is not installed and this script is not root: run 'apt-get install -y chromium' as root, or set CHROMIUM_PATH" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "chromium is not installed and there is no apt-get here: install Chromium and set CHROMIUM_PATH to its binary" >&2
  exit 1
fi

# Several test processes may call this at once: one installs, the others wait for the lock.
exec 9>/tmp/orleans-streams-chromium-install.lock
flock 9
if [[ ! -x /usr/bin/chromium ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi
echo /usr/bin/chromium
