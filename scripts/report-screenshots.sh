#!/bin/sh
# scripts/report-screenshots.sh - the README's pictures of logreport's page
# (doc/logreport-*.png): the overview, a failed trace's waterfall and the
# dependency graph, taken by headless chromium from a report of loggen's
# seed flows and the graph depgraph made of them
# (tests/fixtures/logreport/seed.graph).  Run after make; not a test.
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN/loggen" -S 7 -n 60 -p 0.5,0.4,0.3 | "$BIN/lognorm" | "$BIN/logjoin" |
    tee "$tmp/ev" | "$BIN/tracebuild" > "$tmp/tr"
cat "$tmp/ev" "$tmp/tr" tests/fixtures/logreport/seed.graph |
    "$BIN/logreport" -n 10 -t 'logproc report: seed flows' - > "$tmp/r.html"
# shot NAME WIDTHxHEIGHT CSS: the page with CSS added (to show one part)
shot() {
	sed "s|</style>|$3</style>|" "$tmp/r.html" > "$tmp/$1.html"
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --hide-scrollbars \
	    --user-data-dir="$tmp/ud-$1" --window-size="$2" \
	    --screenshot="doc/logreport-$1.png" "file://$tmp/$1.html" \
	    > /dev/null 2>&1
	echo "doc/logreport-$1.png"
}
mkdir -p doc
shot overview 1100,560 'footer,section:not(#overview){display:none}'
# the first slow trace through payments: inventory, payments, reporting, orders
shot waterfall 1100,300 'header,footer,section:not(#slowest),.tools,#slowest>.sub,article:not([data-spans="4"]),article[data-spans="4"]~article{display:none}#slowest h2{margin-top:.4em}'
shot graph 1100,400 'header,footer,section:not(#graph),#graph h3,#graph table,#graph .tools,#graph .sub{display:none}'
