#!/usr/bin/env bash
# fork-no-winner: parallel forking where nobody answers. Both phones ring; after
# fr_inv_timer (2 s) kamailio CANCELs both branches (no Reason header) and answers the caller
# 408 itself, before the branches' 487s come back. Every branch ended in 487 and there was no
# winner: the proxy timer, not the caller, ended the call.
source "$(dirname "$0")/../lab.sh"
lab_init fork-no-winner "$@"
lab_capture_start
lab_kamailio -A FR_INV_MS=2000
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=30000
lab_uas uas2 5082 uas.xml RING_MS=150 ANSWER_MS=30000
lab_uac caller uac-call.xml fork2
lab_finish
lab_truth <<'JSON'
{
  "story": "fork2: both branches ring until the proxy's 2 s fr_inv_timer; proxy CANCELs both and answers 408.",
  "params": {"fr_inv_ms": 2000, "ring_ms": {"uas1": 100, "uas2": 150}},
  "calls": [{
    "call_id": "1-fork-no-winner@lab",
    "final_code": 408, "finals": [408],
    "cancel": {"sent_by": "proxy", "cause_487": "proxy-timeout"},
    "legs": {
      "caller-proxy": {"final_code": 408},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "proxy-timeout", "timer_ms": 2000},
      "proxy-uas2": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "proxy-timeout", "timer_ms": 2000}
    },
    "diagnoses": [{"id": "fork-no-winner", "leg": "caller-proxy", "severity": "warning"},
                  {"id": "proxy-timeout-cancel", "leg": "proxy-uas1", "severity": "warning"},
                  {"id": "proxy-timeout-cancel", "leg": "proxy-uas2", "severity": "warning"}],
    "absent": ["fork-branch-lost", "cancel-caller-hangup", "487-without-cancel"]
  }]
}
JSON
