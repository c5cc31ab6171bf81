#!/usr/bin/env python3
"""One run of the README's night demo, measured: starts the app (a published ModelOps.Web, fresh data
directory), optionally at a simulated start hour, starts the canary of v3 from a plan file, polls
GET /api/rollouts/{id} every 15 s until it leaves `progressing` or the time-out, and records every
poll (record.jsonl), the rollout, its incident, the audit log and the chain's verification in --out.

  dotnet publish ModelOps.Web -c Release -o /tmp/modelops-app
  python3 tools/demo-night.py --app /tmp/modelops-app --port 5300 --hour -1 \
      --plan docs/demo-night-plan.json --out /tmp/demo-h6 --start-hour-setting --starthour 6 --timeout-min 105

--hour H waits for simulated hour H before starting (-1: at once); EXTRA="--ModelOps:X=Y ..." adds settings."""
import json, subprocess, sys, time, urllib.request, os, shutil, argparse

p = argparse.ArgumentParser()
p.add_argument("--app", required=True)          # folder with ModelOps.Web.dll
p.add_argument("--port", type=int, required=True)
p.add_argument("--hour", type=int, required=True)
p.add_argument("--plan", required=True)         # JSON file of the rollout body
p.add_argument("--out", required=True)
p.add_argument("--start-hour-setting", action="store_true")  # use ModelOps:Simulator:StartHour
p.add_argument("--timeout-min", type=float, default=75)
p.add_argument("--rate", type=float)
p.add_argument("--attach", action="store_true")
p.add_argument("--starthour", type=float, default=0)
a = p.parse_args()

base = f"http://127.0.0.1:{a.port}"
data = a.out + "/data"
if not a.attach: shutil.rmtree(data, ignore_errors=True); os.makedirs(data)
log = open(a.out + "/app.log", "a")
args = ["dotnet", a.app + "/ModelOps.Web.dll", f"--urls={base}", f"--ModelOps:DataDirectory={data}"]
if a.start_hour_setting:
    args.append(f"--ModelOps:Simulator:StartHour={a.starthour}")
if os.environ.get("EXTRA"): args += os.environ["EXTRA"].split()
if a.rate: args.append(f"--ModelOps:Simulator:RequestsPerSecond={a.rate}")
proc = None if a.attach else subprocess.Popen(args, cwd=a.app, stdout=log, stderr=subprocess.STDOUT)
rec = open(a.out + "/record.jsonl", "a")
def note(**kw):
    kw["t"] = time.strftime("%H:%M:%S", time.gmtime()); rec.write(json.dumps(kw) + "\n"); rec.flush()
    print(json.dumps(kw), flush=True)

def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

try:
    token = None
    for _ in range(600):
        try:
            s, b = call("POST", "/api/auth/token", {"username": "operator", "password": "modelops-demo"})
            if s == 200: token = b["token"]; break
        except Exception: pass
        time.sleep(1)
    note(event="ready", pid=proc.pid if proc else None)
    while True:
        s, sim = call("GET", "/api/simulator/", token=token)
        if s == 200 and (a.hour < 0 or sim["simulatedHour"] == a.hour) and sim["sent"] > 0: break
        time.sleep(1)
    plan = json.load(open(a.plan))
    t0 = time.time()
    s, r = call("POST", "/api/rollouts", plan, token)
    note(event="started", status=s, body=r if s != 201 else {"id": r["id"], "state": r["state"]}, simHour=sim["simulatedHour"])
    if s != 201: sys.exit(1)
    rid = r["id"]
    final = None
    while time.time() - t0 < a.timeout_min * 60:
        time.sleep(15)
        s, ro = call("GET", f"/api/rollouts/{rid}", token=token)
        s2, sim = call("GET", "/api/simulator/", token=token)
        kpi = [g for g in ro["guardrails"] if g["metric"] == "kpi" and not g.get("region")]
        k = kpi[0] if kpi else {}
        seg = k.get("segments") or {}
        worst = (seg.get("segments") or [None])[0]
        note(elapsed=round(time.time() - t0), simHour=sim["simulatedHour"], state=ro["state"], step=ro["stepIndex"],
             kpi=k.get("status"), effect=k.get("effect"), ci=k.get("ci"), n=k.get("samples"),
             decidedBy=seg.get("decidedBy"),
             worst=None if not worst else {x: worst.get(x) for x in ("segment", "status", "effect", "ciLow", "ciHigh", "samples")})
        if ro["state"] in ("rolledBack", "promoted", "aborted", "awaitingApproval", "paused"):
            final = ro; break
    s, ro = call("GET", f"/api/rollouts/{rid}", token=token)
    json.dump(ro, open(a.out + "/rollout.json", "w"), indent=1)
    inc = None
    if ro.get("incidentId"):
        s, inc = call("GET", f"/api/incidents/{ro['incidentId']}", token=token)
        json.dump(inc, open(a.out + "/incident.json", "w"), indent=1)
    s, ver = call("GET", "/api/audit/verify", token=token)
    s, aud = call("GET", "/api/audit?action=", token=token)
    json.dump(aud, open(a.out + "/audit.json", "w"), indent=1)
    kpi = [g for g in ro["guardrails"] if g["metric"] == "kpi" and not g.get("region")]
    note(event="end", rollout=rid, state=ro["state"], elapsed=round(time.time() - t0), startedAt=ro.get("startedAt"), endedAt=ro.get("endedAt"),
         trigger=(inc or {}).get("trigger"), endReason=ro.get("endReason"), incidentId=ro.get("incidentId"),
         decidedBy=((kpi[0].get("segments") or {}).get("decidedBy") if kpi else None), auditVerify=ver,
         auditActions=[(x["actor"], x["action"]) for x in (aud if isinstance(aud, list) else aud.get("items", [])) if x["action"].startswith(("rollout", "incident"))])
finally:
  if proc:
    proc.terminate()
    try: proc.wait(20)
    except Exception: proc.kill()
