# seed.jq — the jq peer of lognorm for the benchmark (Debian jq 1.6).
#
#   jq -R -c -f scripts/bench/seed.jq < seed-mix.log
#
# Normalizes the seed mix into the same `event` records lognorm writes:
#   - JSON lines  {"system":..., "checkpoint":..., "status":..., "timestamp":...,
#     "correlation_id":..., ["failure_reason":...]}          -> part "main", rule = system
#     {"system":..., "correlation_id":..., "failure_reason":...} (no checkpoint)
#                                     -> part "detail", status FAILURE, rule = system_error
#     other input keys are kept under attrs.
#   - [LEVEL] 2025-05-04T10:30:00 ORDER: CP - STATUS (ID: id)[ - reason]   -> rule orders/payments
#   - [LEVEL] 2025-05-04T10:32:01 PAYMENTS PAYMENTS_ERROR: (ID: id) - reason -> part "detail"
#     (the [LEVEL] prefix is optional; it goes to attrs.level)
#   - 1714818600123 | trace_id=..., span_id=..., ..., http_status=NNN response=...
#                                     -> rule "microservice"; `null` means absent
# A line matching none of these yields {"type":"reject","raw":LINE,"reason":...}.
# Timestamps become YYYY-MM-DDTHH:MM:SS.mmmZ (zone-less = UTC); status becomes
# SUCCESS/FAILURE (words, booleans, HTTP-like codes >= 500 = FAILURE);
# pure-hex trace/span ids are lower-cased; "" and null are absent.
# Cheap discriminators (first character, fixed offsets) pick the branch before
# any regex runs; each text line runs one capture, a JSON line none unless its
# timestamp is not the seed's plain form. (jq 1.6 compiles the regex on every
# capture call: ~25-40 us, plus ~40 us for a successful capture, so text lines
# cost ~100+ us each whatever the rest of the program does.)

def absent: . == null or . == "" or . == "null";

# ids: absent -> null; pure hex -> lower case; anything else unchanged
# (jq 1.6's ascii_downcase is explode/map/implode: only pay for it when needed)
def idnorm:
  if absent then null
  elif test("[A-F]") then
    ascii_downcase as $l | if ($l | test("^[0-9a-f]+$")) then $l else . end
  else . end;

def ms3: tostring | ("00" + .)[-3:];            # 7 -> "007"
def frac3: (. + "000")[0:3];                    # "25" -> "250", "123456" -> "123"

# epoch milliseconds (number) -> RFC 3339 UTC with ms (jq 1.6 todate has no ms)
def from_epoch_ms: floor as $ms
  | (($ms / 1000 | floor) | todate | .[0:19]) + "." + ($ms % 1000 | ms3) + "Z";

def tsnorm:
  if . == null then null
  elif type == "number" then
    (if . >= 1e17 then . / 1e6 elif . >= 1e14 then . / 1e3
     elif . >= 1e11 then . else . * 1000 end) | from_epoch_ms
  elif type != "string" then .
  # fast paths: the seed's own forms
  elif length == 19 and .[10:11] == "T" then . + ".000Z"
  elif length == 20 and .[19:20] == "Z" then .[0:19] + ".000Z"
  elif length == 24 and .[23:24] == "Z" and .[19:20] == "." then .
  elif test("^[0-9]+$") then tonumber | tsnorm
  else
    (capture("^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:[.,](?<f>[0-9]+))?(?<z>Z|[+-][0-9]{2}:?[0-9]{2})?$") // null) as $m
    | if $m == null then .                       # unknown form: kept as given
      else (($m.f // "") | frac3) as $f
        | if $m.z == null or $m.z == "Z" then $m.d + "T" + $m.t + "." + $f + "Z"
          else ($m.z | (if .[0:1] == "-" then -1 else 1 end) as $sign
                     | gsub(":"; "") | ((.[1:3] | tonumber) * 3600 + (.[3:5] | tonumber) * 60) * $sign) as $off
            | (($m.d + "T" + $m.t + "Z") | fromdateiso8601) - $off
            | (todate | .[0:19]) + "." + $f + "Z"
          end
      end
  end;

def statusnorm:
  if type == "string" then
    if . == "SUCCESS" or . == "FAILURE" then .
    else ({"success":"SUCCESS","succeeded":"SUCCESS","ok":"SUCCESS","pass":"SUCCESS",
           "passed":"SUCCESS","true":"SUCCESS","failure":"FAILURE","failed":"FAILURE",
           "fail":"FAILURE","error":"FAILURE","err":"FAILURE","fatal":"FAILURE",
           "false":"FAILURE"}[ascii_downcase])
         // (if test("^[0-9]+$") then (if tonumber >= 500 then "FAILURE" else "SUCCESS" end)
             else . end)
    end
  elif type == "number" then (if . >= 500 then "FAILURE" else "SUCCESS" end)
  elif type == "boolean" then (if . then "SUCCESS" else "FAILURE" end)
  else . end;

def reject($raw; $why): {type: "reject", raw: $raw, reason: $why};

def known_keys: {"system":1,"checkpoint":1,"status":1,"timestamp":1,"correlation_id":1,
  "failure_reason":1,"trace_id":1,"span_id":1,"parent_span_id":1,"target_system_id":1,
  "duration_ms":1,"part":1};

# JSON seed lines (inventory, reporting, and their separate error lines)
def json_event($raw):
  if type != "object" or (.system | type) != "string" then reject($raw; "no rule")
  else (if .checkpoint == null then "detail" else "main" end) as $part
    | {type: "event",
       timestamp: (.timestamp | tsnorm),
       system_id: .system,
       checkpoint_id: .checkpoint,
       status: ((if $part == "detail" then .status // "FAILURE" else .status end) | statusnorm),
       correlation_id: .correlation_id,
       failure_reason: .failure_reason,
       trace_id: ((.trace_id // .correlation_id) | idnorm),
       span_id: (.span_id | idnorm),
       parent_span_id: (.parent_span_id | idnorm),
       target_system_id: .target_system_id,
       duration_ms: .duration_ms,
       part: $part,
       rule: (if $part == "detail" then .system + "_error" else .system end),
       # every other input key goes to attrs (a reduce over the keys with a
       # constant lookup table is ~20x cheaper than del(...) in jq 1.6)
       attrs: (. as $o | reduce (keys_unsorted[] | select(known_keys[.] == null)) as $k
                           ({}; .[$k] = $o[$k]))}
  end;

def sysname: {"ORDER":"orders","ORDERS":"orders","PAYMENTS":"payments","PAYMENT":"payments"}[.] // ascii_downcase;

# ORDER/PAYMENTS text lines, optional [LEVEL] prefix
def text_event($raw):
  (capture("^(?:\\[(?<level>[A-Za-z]+)\\] )?(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+) (?<sys>[A-Z]+)(?:: (?<cp>[^ ]+) - (?<st>[A-Za-z]+) \\(ID: (?<id>[^)]+)\\)(?: - (?<reason>.+))?| [A-Z]+_ERROR: \\(ID: (?<eid>[^)]+)\\) - (?<ereason>.+))$") // null) as $m
  | if $m == null then reject($raw; "no rule")
    else ($m.sys | sysname) as $sys
      | (if $m.cp == null then "detail" else "main" end) as $part
      | ($m.id // $m.eid) as $id
      | {type: "event",
         timestamp: ($m.ts | tsnorm),
         system_id: $sys,
         checkpoint_id: $m.cp,
         status: (if $part == "detail" then "FAILURE" else $m.st | statusnorm end),
         correlation_id: $id,
         failure_reason: ($m.reason // $m.ereason),
         trace_id: ($id | idnorm),
         span_id: null,
         parent_span_id: null,
         target_system_id: null,
         duration_ms: null,
         part: $part,
         rule: (if $part == "detail" then $sys + "_error" else $sys end),
         attrs: (if $m.level == null then {} else {level: $m.level} end)}
    end;

# microservice span log: "EPOCHMS | k=v, k=v, ..., request=..., http_status=N response=..."
def span_event($raw):
  (capture("^(?<ts>[0-9]+) \\| trace_id=(?<trace_id>[^,]*), span_id=(?<span_id>[^,]*), parent_span_id=(?<parent_span_id>[^,]*), source=(?<source>[^,]*), destination=(?<destination>[^,]*), method=(?<method>[^,]*), type=(?<type>[^,]*), request=(?<request>.*?), http_status=(?<http_status>[0-9]+) response=(?<response>.*)$") // null) as $m
  | if $m == null then reject($raw; "no rule")
    else ($m.http_status | tonumber) as $hs
      | ($m.method | if absent then null else . end) as $method
      | ($m.request | if absent then null else . end) as $request
      | {type: "event",
         timestamp: ($m.ts | tonumber | from_epoch_ms),
         system_id: ($m.source | if absent then null else . end),
         checkpoint_id: (if $method != null and $request != null then $method + " " + $request
                         else $method // $request end),
         status: (if $hs >= 500 then "FAILURE" else "SUCCESS" end),
         correlation_id: null,
         failure_reason: null,
         trace_id: ($m.trace_id | idnorm),
         span_id: ($m.span_id | idnorm),
         parent_span_id: ($m.parent_span_id | idnorm),
         target_system_id: ($m.destination | if absent then null else . end),
         duration_ms: null,
         part: "main",
         rule: "microservice",
         attrs: {method: $method,
                 type: ($m.type | if absent then null else . end),
                 request: $request,
                 http_status: $hs,
                 response: ($m.response | if absent then null else . end)}}
    end;

. as $raw
| if startswith("{") then
    ((try fromjson catch null) // null) as $j
    | if $j == null then reject($raw; "invalid json") else $j | json_event($raw) end
  elif startswith("[") then text_event($raw)
  elif .[4:5] == "-" then text_event($raw)
  elif (.[0:1] | . >= "0" and . <= "9") then span_event($raw)
  else reject($raw; "no rule")
  end
