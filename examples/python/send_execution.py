#!/usr/bin/env python3
"""Send one flow execution with nodes to flowtrace as OTLP/JSON, using only the standard library.

Proof that any language can feed flowtrace without its code: the root span carries the flow
attributes, each node is a child span with flow.node.* attributes, console lines are OTLP log
records tied to their span, and start marks (flowtrace.mark = span.start) make the execution
show as running while --hold keeps it open.

    python3 send_execution.py [--endpoint http://127.0.0.1:4318] [--fail] [--hold SECONDS]

Prints one JSON line: {"traceId": "...", "status": "success" | "error"}.
"""
import argparse
import json
import os
import secrets
import time
import urllib.request

SERVICE = "python-etl"
FLOW_ID = "nightly-etl"
SPAN_KIND_INTERNAL = 1
STATUS_OK, STATUS_ERROR = 1, 2
SEVERITY = {"INFO": 9, "WARN": 13, "ERROR": 17, "DEBUG": 5}


def attr(key, value):
    """One OTLP/JSON KeyValue."""
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}
    elif isinstance(value, float):
        v = {"doubleValue": value}
    else:
        v = {"stringValue": str(value)}
    return {"key": key, "value": v}


def attrs(d):
    return [attr(k, v) for k, v in d.items()]


def now_ns():
    return time.time_ns()


def post(endpoint, path, payload):
    req = urllib.request.Request(
        endpoint.rstrip("/") + path,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as res:
        return res.status


def resource():
    return {"attributes": attrs({"service.name": SERVICE, "service.version": "1.4.0", "telemetry.sdk.language": "python"})}


SCOPE = {"name": "flowtrace-python-example", "version": "1.0.0"}


def send_logs(endpoint, records):
    post(endpoint, "/v1/logs", {"resourceLogs": [{"resource": resource(), "scopeLogs": [{"scope": SCOPE, "logRecords": records}]}]})


def log_record(trace_id, span_id, t_ns, severity, body, extra=None):
    return {
        "timeUnixNano": str(t_ns),
        "observedTimeUnixNano": str(t_ns),
        "severityNumber": SEVERITY[severity],
        "severityText": severity,
        "body": {"stringValue": body},
        "traceId": trace_id,
        "spanId": span_id,
        "attributes": attrs(extra or {}),
    }


def start_mark(trace_id, span, parent_id):
    extra = dict(span["_attrs"])
    extra.update({"flowtrace.mark": "span.start", "flowtrace.span.name": span["name"], "flowtrace.span.kind": SPAN_KIND_INTERNAL})
    if parent_id:
        extra["flowtrace.span.parent_id"] = parent_id
    return log_record(trace_id, span["spanId"], span["_start"], "DEBUG", "span.start " + span["name"], extra)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", default=os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"))
    ap.add_argument("--fail", action="store_true", help="make the load node fail")
    ap.add_argument("--hold", type=float, default=0.0, help="seconds to keep the execution open (running) before finishing it")
    ap.add_argument("--user", default="data-team")
    args = ap.parse_args()

    trace_id = secrets.token_hex(16)
    root_id = secrets.token_hex(8)
    t0 = now_ns()
    rows = [{"id": i, "amount": i * 10} for i in range(3)]
    root = {
        "name": FLOW_ID, "spanId": root_id, "_start": t0,
        "_attrs": {
            "flow.execution.kind": "flow", "flow.id": FLOW_ID, "flow.name": FLOW_ID, "flow.version": "7",
            "flow.trigger.type": "scheduled", "flow.trigger.data": json.dumps({"cron": "0 2 * * *"}),
            "enduser.id": args.user, "flow.input": json.dumps({"date": time.strftime("%Y-%m-%d")}),
        },
    }
    node_names = [("extract", "db"), ("transform", "code"), ("load", "db")]
    nodes = []
    logs = [start_mark(trace_id, root, None)]
    t = t0 + 1_000_000
    for index, (name, ntype) in enumerate(node_names):
        start = t
        duration = (40 + index * 25) * 1_000_000
        node = {
            "name": name, "spanId": secrets.token_hex(8), "_start": start, "_end": start + duration,
            "_attrs": {"flow.node.id": name, "flow.node.name": name, "flow.node.type": ntype, "flow.node.index": index},
        }
        node["_attrs"]["flow.node.input"] = json.dumps({"rows": len(rows)})
        nodes.append(node)
        logs.append(start_mark(trace_id, node, root_id))
        logs.append(log_record(trace_id, node["spanId"], start + 1_000_000, "INFO", f"{name}: processing {len(rows)} rows"))
        t = start + duration + 1_000_000

    failed = args.fail
    if failed:
        logs.append(log_record(trace_id, nodes[2]["spanId"], nodes[2]["_start"] + 2_000_000, "ERROR", "load: warehouse rejected the batch"))
    send_logs(args.endpoint, logs)
    if args.hold > 0:
        time.sleep(args.hold)
        shift = now_ns() - t
        for n in nodes[2:]:  # the last node ran while we held the execution open
            n["_end"] += shift
        t += shift

    spans = []
    for n in nodes:
        a = dict(n["_attrs"])
        span = {"traceId": trace_id, "spanId": n["spanId"], "parentSpanId": root_id, "name": n["name"], "kind": SPAN_KIND_INTERNAL,
                "startTimeUnixNano": str(n["_start"]), "endTimeUnixNano": str(n["_end"]), "events": []}
        if failed and n["name"] == "load":
            a["flow.node.status"] = "error"
            span["status"] = {"code": STATUS_ERROR, "message": "warehouse rejected the batch"}
            span["events"].append({"name": "exception", "timeUnixNano": str(n["_end"]), "attributes": attrs({
                "exception.type": "RuntimeError", "exception.message": "warehouse rejected the batch",
                "exception.stacktrace": 'Traceback (most recent call last):\n  File "etl.py", line 42, in load\nRuntimeError: warehouse rejected the batch'})})
        else:
            a["flow.node.status"] = "success"
            a["flow.node.output"] = json.dumps({"rows": len(rows)})
            span["status"] = {"code": STATUS_OK}
        span["attributes"] = attrs(a)
        spans.append(span)

    ra = dict(root["_attrs"])
    root_span = {"traceId": trace_id, "spanId": root_id, "name": FLOW_ID, "kind": SPAN_KIND_INTERNAL,
                 "startTimeUnixNano": str(t0), "endTimeUnixNano": str(t), "events": []}
    if failed:
        ra.update({"flow.execution.status": "error", "flow.error.node_id": "load"})
        root_span["status"] = {"code": STATUS_ERROR, "message": "warehouse rejected the batch"}
    else:
        ra.update({"flow.execution.status": "success", "flow.output": json.dumps({"loaded": len(rows)})})
        root_span["status"] = {"code": STATUS_OK}
    root_span["attributes"] = attrs(ra)
    spans.append(root_span)

    post(args.endpoint, "/v1/traces", {"resourceSpans": [{"resource": resource(), "scopeSpans": [{"scope": SCOPE, "spans": spans}]}]})
    print(json.dumps({"traceId": trace_id, "status": "error" if failed else "success"}), flush=True)


if __name__ == "__main__":
    main()
