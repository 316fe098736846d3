#!/usr/bin/env python3
"""dom.py QUERY [ARG] < page.html - what a user sees in a page, as lines.

Reads HTML (a browser's --dump-dom: the DOM after its scripts ran) with
Python's own html.parser, independently of how logreport wrote it, and
prints, for tests/50-logreport.bats:

  table ID      the rows of table ID's body, cells tab-separated, as text
                (an empty cell for one marked data-null)
  traces ID     per trace of section ID: its data-trace-id, the number of
                span bars drawn in it, its rows' depths and services
                (comma-separated)
  series        per strip of the chart: its system and data-total
  graph         "node NAME" per node drawn, "edge SOURCE TARGET CALLS ERRORS"
                per edge drawn, sorted
  scripts       the number of script elements, then attributes set on the
                root element (data-script=ok when the page's script ran)
  text ID       the text of the element with id ID
  count CLASS   how many elements have class CLASS
  tags TAG      how many TAG elements there are
"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr", "path", "rect", "line", "ellipse",
        "circle", "polyline", "polygon", "stop"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.kids = []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        out = []
        for k in self.kids:
            out.append(k if isinstance(k, str) else k.text())
        return "".join(out)

    def walk(self):
        yield self
        for k in self.kids:
            if not isinstance(k, str):
                yield from k.walk()


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#doc", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


def by_id(root, ident):
    for n in root.walk():
        if n.attrs.get("id") == ident:
            return n
    sys.exit("dom.py: no element with id '%s'" % ident)


def main():
    t = Tree()
    t.feed(sys.stdin.read())
    q = sys.argv[1]
    arg = sys.argv[2] if len(sys.argv) > 2 else None
    if q == "table":
        body = [n for n in by_id(t.root, arg).walk() if n.tag == "tbody"][0]
        for tr in body.kids:
            if isinstance(tr, str) or tr.tag != "tr":
                continue
            cells = [("" if c.attrs.get("data-null") else c.text().strip())
                     for c in tr.kids if not isinstance(c, str)]
            print("\t".join(cells))
    elif q == "traces":
        for a in by_id(t.root, arg).walk():
            if a.tag == "article" and "trace" in a.classes():
                bars = [n for n in a.walk() if "bar" in n.classes()]
                rows = [n for n in a.walk() if n.tag == "details"]
                depths = [n.attrs.get("data-depth") for n in rows]
                svcs = [[m for m in n.walk() if "svc" in m.classes()][0]
                        .text() for n in rows]
                print("%s\t%d\t%s\t%s" % (a.attrs.get("data-trace-id"),
                                          len(bars), ",".join(depths),
                                          ",".join(svcs)))
    elif q == "graph":
        lines = []
        for n in t.root.walk():
            if n.tag == "g" and "node" in n.classes():
                lines.append("node %s" % n.attrs["data-name"])
            if n.tag == "g" and "edge" in n.classes():
                lines.append("edge %s %s %s %s" % (
                    n.attrs["data-source"], n.attrs["data-target"],
                    n.attrs["data-calls"], n.attrs["data-errors"]))
        print("\n".join(sorted(lines)))
    elif q == "scripts":
        print(len([n for n in t.root.walk() if n.tag == "script"]))
        html = [n for n in t.root.walk() if n.tag == "html"][0]
        for k in sorted(html.attrs):
            print("%s=%s" % (k, html.attrs[k]))
    elif q == "text":
        print(by_id(t.root, arg).text().strip())
    elif q == "series":
        for n in t.root.walk():
            if n.tag == "g" and "series" in n.classes():
                print("%s\t%s" % (n.attrs["data-name"], n.attrs["data-total"]))
    elif q == "tags":
        print(len([n for n in t.root.walk() if n.tag == arg]))
    elif q == "count":
        print(len([n for n in t.root.walk() if arg in n.classes()]))
    else:
        sys.exit("dom.py: unknown query '%s'" % q)


main()
