# zipkin-links.jq - Zipkin's DependencyLinker (zipkin2.internal) over a Zipkin v2
# span array, read straight from the file with jq, for tests/acceptance/run:
# an independent reading to hold depgraph -p zipkin against.  Lines
# "parent child calls errors".  Parents as SpanNode finds them, but a span
# whose parent is missing starts a tree of its own (depgraph(1)'s one
# departure from Zipkin, which hangs it under the root).
def svc: .localEndpoint.serviceName? // null;
def rsvc: .remoteEndpoint.serviceName? // null;
(if .[0] | type == "array" then [.[][]] else . end)
| map(.id |= ascii_downcase | .parentId |= (if . then ascii_downcase else . end))
# a span reported twice counts once (Zipkin merges them)
| unique_by([.id, (.shared // false), svc]) as $u
| [$u[] | . + {sh: (.shared // false)}] as $s
| ($s | length) as $n
| [range($n)] as $idx
# parents, as Zipkin's SpanNode finds them
| [ $idx[] as $i | $s[$i] as $x
    | if $x.sh then
        ([$idx[] | select($s[.].id == $x.id and ($s[.].sh | not))][0]) //
        (if $x.parentId then [$idx[] | select($s[.].id == $x.parentId)][0] else null end)
      elif $x.parentId then
        ([$idx[] | select($s[.].id == $x.parentId and $s[.].sh and ($s[.] | svc) == ($x | svc))][0]) //
        ([$idx[] | select($s[.].id == $x.parentId and ($s[.].sh | not))][0]) //
        ([$idx[] | select($s[.].id == $x.parentId)][0])
      else null end ] as $par
| def ra($i): if $par[$i] == null then null
      elif $s[$par[$i]].kind then $par[$i] else ra($par[$i]) end;
  [ $idx[] as $i | $s[$i] as $x
    | ([$idx[] | select($par[.] == $i)] | length) as $kids
    | select(($x.kind == "CLIENT" and $kids > 0) | not)
    | (if $x.kind then $x.kind
       elif ($x | svc) and ($x | rsvc) then "CLIENT" else null end) as $k
    | select($k != null)
    | (if $k == "SERVER" or $k == "CONSUMER" then [($x | rsvc), ($x | svc)]
       else [($x | svc), ($x | rsvc)] end) as [$p, $c]
    | ($x.tags // {} | has("error")) as $err
    | if $k == "PRODUCER" or $k == "CONSUMER" then
        select($p and $c) | [$p, $c, $err]
      else
        ra($i) as $a
        | (if $a != null and ($s[$a] | svc) then $s[$a] else null end) as $r
        | (if $r and $k == "CLIENT" and ($x | svc) and ($r | svc) != ($x | svc)
           then [($r | svc), ($x | svc), false] else empty end),
          ((if $r and ($k == "SERVER" or $p == null) then ($r | svc) else $p end) as $pp
           | (if $r and ($err | not) and $r.kind == "CLIENT" and $par[$i] == $a
              then ($r.tags // {} | has("error")) else $err end) as $e
           | select($pp and $c) | [$pp, $c, $e])
      end ]
| group_by(.[0:2])[] | "\(.[0][0]) \(.[0][1]) \(length) \(map(select(.[2])) | length)"
