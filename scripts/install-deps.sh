#!/bin/sh
# Install the Debian packages logproc needs to build, test and benchmark.
# Run as root (or with sudo available).  Safe to run again.
set -eu
PKGS="build-essential pkg-config libjq-dev libpcre2-dev libsqlite3-dev
      jq sqlite3 bats bats-assert bats-support mandoc cppcheck
      liblognorm-utils time graphviz"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
