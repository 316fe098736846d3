#!/bin/sh
# The README's second command: install what is missing, build, run the whole
# suite (plain and under ASan+UBSan), the man page lint and, when
# ../shared/data is there, the acceptance suite on real third-party data.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -s all
make -s lint
make -s check
make -s acceptance
