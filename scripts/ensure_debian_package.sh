#!/usr/bin/env bash
# Installs a command from Debian's packages when it is missing, as root or with passwordless sudo; otherwise
# says what to install. Used by `make test` (Chromium: Playwright cannot download its own browser here; Java
# for the Nu HTML Checker, vnu.jar from npm) and `make bench` (wrk, a small C load generator).
#   ensure_debian_package.sh COMMAND PACKAGE "WHAT NEEDS IT" "COMMAND TO RUN AGAIN" [--no-install-recommends]
# The last argument leaves out the package's recommended packages (prometheus recommends the node exporter,
# a daemon the tests do not need).
set -euo pipefail
command_name=$1 package=$2 needed_by=$3 run_again=$4 extra=${5:-}
if command -v "$command_name" >/dev/null 2>&1 || [ -x "/usr/bin/$command_name" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo "$@"; }
else
  echo "${needed_by^} need $package. Install it (on Debian: sudo apt-get install $package) and run $run_again again." >&2
  exit 1
fi
echo "Installing Debian's $package for $needed_by..."
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $extra "$package" >/dev/null \
  || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $extra "$package" >/dev/null; }
