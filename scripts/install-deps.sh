#!/bin/sh
# Install the Debian packages logproc needs to build, test and benchmark.
# Run as root (or with sudo available).  Safe to run again; when another
# apt or dpkg holds its lock, this waits for it (up to 10 minutes) rather
# than failing.
set -eu
PKGS="build-essential pkg-config libjq-dev libpcre2-dev libsqlite3-dev zlib1g-dev
      jq sqlite3 bats bats-assert bats-support mandoc cppcheck
      liblognorm-utils time librdkafka-dev kcat sqlite-utils
      clang libclang-rt-14-dev pcre2-utils graphviz chromium python3
      libsimdjson-dev"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
# apt-get waits for the dpkg lock itself when told how long.
APT="$SUDO apt-get -o DPkg::Lock::Timeout=600 -q"
$APT update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $APT install -y $missing
