# otel-links.jq - the otel policy (the OpenTelemetry service-graph
# connector's rules) over OTLP/JSON documents (jq -s), read straight from
# the files, for tests/acceptance/run: per trace, a client (producer) span and
# its server (consumer) child are one call; a client or producer left over
# calls what peer.service, db.name or db.system names; with $user, a root
# server or consumer is called by "user".  Lines "source target calls
# errors", then "unpaired client N" and "unpaired server N".
def attrs: reduce (.attributes // [])[] as $a ({}; .[$a.key] = ($a.value | .stringValue // .intValue // .boolValue // .doubleValue));
def kind: if type == "number" then ["", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"][.] // ""
  elif type == "string" then sub("^SPAN_KIND_"; "") else "" end;
def hex: if type == "string" and . != "" and (test("^0+$") | not) then ascii_downcase else null end;
[.[] | .resourceSpans[] | ([.resource.attributes[]? | select(.key == "service.name") | .value.stringValue][0]) as $svc
 | (.scopeSpans // .instrumentationLibrarySpans)[] | .spans[]
 | {t: (.traceId | hex), id: (.spanId | hex), p: (.parentSpanId | hex), svc: $svc,
    k: (.kind | kind), err: (.status.code == 2 or .status.code == "STATUS_CODE_ERROR"), a: attrs}]
| unique_by([.t, .id, .svc])
| group_by(.t)
| map(. as $s
  | [range(length)] as $idx
  | [$idx[] as $i | $s[$i].p as $p | if $p == null then -1
      else ([$idx[] | select($s[.].id == $p)][0] // -2) end] as $par
  | [$idx[] | select(($s[.].k == "SERVER" or $s[.].k == "CONSUMER") and $par[.] >= 0
      and ($s[$par[.]].k == "CLIENT" or $s[$par[.]].k == "PRODUCER"))] as $paired_srv
  | ($paired_srv | map($par[.]) | unique) as $paired_cli
  | ([$paired_cli[] as $c | ($paired_srv | map(select($par[.] == $c))[0]) as $v
      | [$s[$c].svc, $s[$v].svc, ($s[$c].err or $s[$v].err)]]
     + [$idx[] | select(($s[.].k == "SERVER" or $s[.].k == "CONSUMER") and $par[.] == -1 and $user)
        | ["user", $s[.].svc, $s[.].err]]
     + [$idx[] | select(($s[.].k == "CLIENT" or $s[.].k == "PRODUCER") and (. as $i | $paired_cli | index([$i]) | not))
        | ($s[.].a["peer.service"] // $s[.].a["db.name"] // $s[.].a["db.system"]) as $v
        | select($v) | [$s[.].svc, $v, $s[.].err]]) as $calls
  | {calls: $calls,
     uc: [$idx[] | select(($s[.].k == "CLIENT" or $s[.].k == "PRODUCER") and (. as $i | $paired_cli | index([$i]) | not)
           and (($s[.].a["peer.service"] // $s[.].a["db.name"] // $s[.].a["db.system"]) == null))] | length,
     us: [$idx[] | select(($s[.].k == "SERVER" or $s[.].k == "CONSUMER") and $par[.] != -1
           and (. as $i | $paired_srv | index([$i]) | not))] | length})
| (map(.calls[]) | group_by(.[0:2])[] | "\(.[0][0]) \(.[0][1]) \(length) \(map(select(.[2])) | length)"),
  "unpaired client \(map(.uc) | add // 0)", "unpaired server \(map(.us) | add // 0)"
