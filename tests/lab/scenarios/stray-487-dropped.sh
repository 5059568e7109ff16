#!/usr/bin/env bash
# stray-487-dropped: the near miss of stray-487-relayed. Same serial fork and the same
# misbehaving uas1 that keeps retransmitting its 487 after the ACK, but kamailio's reply_route
# has `if (!t_check_trans()) drop;` (RFC 6026 §7.3): the late 487 is dropped at the proxy and
# the caller's call goes on until its own BYE 8 s after the answer.
source "$(dirname "$0")/../lab.sh"
lab_init stray-487-dropped "$@"
lab_capture_start
lab_kamailio -A FR_INV_MS=2000 -A WT_MS=5000 -A WITH_STRAY_DROP
lab_uas uas1 5081 uas-487-ignore-ack.xml RING_MS=100 -- -pause_msg_ign
lab_uas uas2 5082 uas.xml RING_MS=100 ANSWER_MS=300
lab_uac caller uac-call.xml serial HOLD_MS=8000
lab_finish
lab_truth <<'JSON'
{
  "story": "serial: proxy times uas1 out after 2 s and forks to uas2, which answers; uas1 keeps retransmitting its 487 after the ACK; 7.5 s later, after the proxy freed the transaction, the late 487 matches no transaction and reply_route drops it; the caller talks 8 s and hangs up.",
  "params": {"fr_inv_ms": 2000, "wt_ms": 5000, "ring_ms": 100, "uas2_answer_after_ring_ms": 300,
             "hold_ms": 8000, "reply_route": "drops replies without a transaction",
             "uas1_487_retransmissions_s": [0.5, 1.5, 3.5, 7.5]},
  "calls": [{
    "call_id": "1-stray-487-dropped@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": "proxy", "cause_487": "proxy-timeout"},
    "legs": {
      "caller-proxy": {"final_code": 200},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "proxy-timeout", "retransmitted_after_ack": 4},
      "proxy-uas2": {"final_code": 200}
    },
    "bye_from": "caller",
    "diagnoses": [
      {"id": "487-retransmitted-after-ack", "leg": "proxy-uas1", "severity": "warning"},
      {"id": "proxy-timeout-cancel", "leg": "proxy-uas1", "severity": "warning"}],
    "absent": ["stray-response-forwarded", "cancel-caller-hangup", "fork-branch-lost", "fork-no-winner", "missing-ack"]
  }]
}
JSON
