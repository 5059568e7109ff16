#!/usr/bin/env bash
# load-mix: 200 calls at 20 calls/s with a known mix of outcomes, for KPI checks (attempts,
# ASR, NER, PDD, setup time, final-code breakdown). Each call's Request-URI user comes from a
# generated injection file, in a fixed shuffled order, and picks the callee:
#   u1  answers after 100 ms ringing + 300 ms            100 calls  SUCCESS
#   u2  486 Busy Here after 50 ms, no ringing             20 calls  REJECTED
#   u5  rings 100 ms, then 603 Decline 300 ms later       10 calls  REJECTED
#   u3  rings forever; the caller CANCELs 400 ms in        30 calls  CANCELED
#   u6  rings forever; the proxy's 2 s fr_inv_timer: 408   10 calls  TIMEOUT
#   u4  503 with Retry-After (the caller gets 500)         15 calls  ERROR
#   nobody  404 from the proxy itself                      15 calls  ERROR
# ASR = 100/200 = 0.5; NER (SUCCESS + TIMEOUT) = 110/200 = 0.55.
source "$(dirname "$0")/../lab.sh"
# shellcheck disable=SC2034  # read by lab_init
LAB_MAX_SECONDS=120
lab_init load-mix "$@"
python3 - "$LAB_WORK" <<'PY'
import json, random, sys
work = sys.argv[1]
mix = [("u1", 100), ("u2", 20), ("u5", 10), ("u3", 30), ("u6", 10), ("u4", 15), ("nobody", 15)]
users = [u for u, n in mix for _ in range(n)]
random.Random(20090317).shuffle(users)
with open(f"{work}/users.csv", "w") as f:
    f.write("SEQUENTIAL\n")
    for u in users:
        f.write(f"{u};\n")
per_user = {
    "u1": dict(final_code=200, finals=[200], legs={"proxy-uas1": {"final_code": 200}},
               cancel={"sent_by": None, "cause_487": None}, diagnoses=[]),
    "u2": dict(final_code=486, finals=[486], legs={"proxy-uas2": {"final_code": 486}},
               cancel={"sent_by": None, "cause_487": None}, diagnoses=[]),
    "u5": dict(final_code=603, finals=[603], legs={"proxy-uas5": {"final_code": 603}},
               cancel={"sent_by": None, "cause_487": None}, diagnoses=[]),
    "u3": dict(final_code=487, finals=[487],
               legs={"proxy-uas3": {"final_code": 487, "cancel_from": "proxy",
                                    "cancel_reason": None, "cause_487": "caller-hangup"}},
               cancel={"sent_by": "caller", "cause_487": "caller-hangup"},
               diagnoses=[{"id": "cancel-caller-hangup", "leg": "caller-proxy",
                           "severity": "info"}]),
    "u6": dict(final_code=408, finals=[408],
               legs={"proxy-uas6": {"final_code": 487, "cancel_from": "proxy",
                                    "cancel_reason": None, "cause_487": "proxy-timeout",
                                    "timer_ms": 2000}},
               cancel={"sent_by": "proxy", "cause_487": "proxy-timeout"},
               diagnoses=[{"id": "proxy-timeout-cancel", "leg": "proxy-uas6",
                           "severity": "warning"}]),
    "u4": dict(final_code=500, finals=[500], legs={"proxy-uas4": {"final_code": 503}},
               cancel={"sent_by": None, "cause_487": None},
               diagnoses=[{"id": "overload-503", "leg": "proxy-uas4", "severity": "warning"}]),
    "nobody": dict(final_code=404, finals=[404], legs={},
                   cancel={"sent_by": None, "cause_487": None}, diagnoses=[]),
}
calls = []
for i, u in enumerate(users, 1):
    c = {"call_id": f"{i}-load-mix@lab", "user": u}
    c.update(json.loads(json.dumps(per_user[u])))
    c["legs"] = {"caller-proxy": {"final_code": c["final_code"]}, **c["legs"]}
    calls.append(c)
spec = {
    "story": "200 calls at 20 cps, fixed shuffled mix: 100 answered, 20 busy, 10 declined, 30 caller hang-ups, 10 proxy timeouts (408), 15 x 503 (500 upstream), 15 x 404 from the proxy.",
    "params": {"calls": 200, "rate_cps": 20, "fr_inv_ms": 2000, "ring_ms": 100,
               "answer_after_ring_ms": 300, "hold_ms": 1000, "cancel_after_ring_ms": 400,
               "mix": dict(mix), "expected": {"asr": 0.5, "ner": 0.55}},
    "calls": calls,
}
json.dump(spec, open(f"{work}/load-spec.json", "w"), indent=1)
PY
lab_capture_start
lab_kamailio -A FR_INV_MS=2000
export LAB_UAS_SECS=60 LAB_UAC_SECS=50
LAB_UAS_CALLS=100 lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=300
LAB_UAS_CALLS=20 lab_uas uas2 5082 uas-reject.xml RING=0 REJECT_MS=50 CODE=486 REASON="Busy Here"
LAB_UAS_CALLS=30 lab_uas uas3 5083 uas.xml RING_MS=100 ANSWER_MS=30000
LAB_UAS_CALLS=15 lab_uas uas4 5084 uas-reject.xml RING=0 REJECT_MS=30 CODE=503 \
    REASON="Service Unavailable" EXTRA_HDR="Retry-After: 30"
LAB_UAS_CALLS=10 lab_uas uas5 5085 uas-reject.xml RING=1 RING_MS=100 REJECT_MS=300 CODE=603 \
    REASON="Decline"
LAB_UAS_CALLS=10 lab_uas uas6 5086 uas.xml RING_MS=100 ANSWER_MS=30000
LAB_UAC_CALLS=200 lab_uac caller uac-mix.xml x CANCEL_USER=u3 CANCEL_AFTER_MS=400 HOLD_MS=1000 \
    -- -inf "$LAB_WORK/users.csv" -r 20 -rp 1000
lab_finish 0.5
lab_truth <"$LAB_WORK/load-spec.json"
