#!/usr/bin/env bash
# serial-proxy-timeout: serial forking on the proxy's INVITE timer. uas1 rings but never
# answers; after fr_inv_timer (2 s here) kamailio CANCELs it (no Reason header: its own timer,
# not a winner elsewhere) and its failure_route tries uas2, which answers. The 487 on the
# first branch was caused by the proxy, not by the caller.
source "$(dirname "$0")/../lab.sh"
lab_init serial-proxy-timeout "$@"
lab_capture_start
lab_kamailio -A FR_INV_MS=2000
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=30000
lab_uas uas2 5082 uas.xml RING_MS=100 ANSWER_MS=300
lab_uac caller uac-call.xml serial HOLD_MS=500
lab_finish
lab_truth <<'JSON'
{
  "story": "serial: uas1 rings 2 s until the proxy's fr_inv_timer fires; proxy CANCELs it and forks to uas2, which answers.",
  "params": {"fr_inv_ms": 2000, "ring_ms": 100, "uas2_answer_after_ring_ms": 300, "hold_ms": 500},
  "calls": [{
    "call_id": "1-serial-proxy-timeout@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": "proxy", "cause_487": "proxy-timeout"},
    "legs": {
      "caller-proxy": {"final_code": 200},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "proxy-timeout", "timer_ms": 2000},
      "proxy-uas2": {"final_code": 200}
    },
    "diagnoses": [{"id": "proxy-timeout-cancel", "leg": "proxy-uas1", "severity": "warning"}],
    "absent": ["fork-branch-lost", "fork-no-winner", "cancel-caller-hangup",
               "487-without-cancel"]
  }]
}
JSON
