#!/usr/bin/env bash
# Runs before `npm test`: the browser tests drive Debian's Chromium at
# /usr/bin/chromium (never a downloaded browser). On a Debian machine where we
# may install packages, install it when it is missing; elsewhere say what to do
# and let the browser tests fail with their own clear message.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get install chromium)…"
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1; then
    exit 0
  fi
  echo "Could not install chromium with apt-get; the browser tests will fail." >&2
else
  echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2
fi
exit 0
