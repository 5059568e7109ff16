#!/usr/bin/env bash
# stray-487-relayed: the 2009 sr-users case, reproduced with a stock-like reply_route.
# Serial forking: uas1 rings until kamailio's fr_inv_timer (2 s) fires; kamailio CANCELs it
# and forks to uas2, which answers. uas1 answers the CANCEL with 200 and 487 but ignores the
# ACK and keeps retransmitting the 487 (Timer G: +0.5, +1.5, +3.5, +7.5 s). While the INVITE
# transaction lives kamailio absorbs them and ACKs again; once it is freed (wt_timer 5 s after
# the 200), the last 487 matches no transaction and the stock reply_route relays it
# statelessly to the caller — after the caller's call was answered. The caller ACKs the stray
# 487 and hangs up with BYE, as the UA in the report did.
source "$(dirname "$0")/../lab.sh"
lab_init stray-487-relayed "$@"
# shellcheck disable=SC2034  # read by lab.sh: a missed race exits 3 (retry), not 1
LAB_TIMING=1
lab_capture_start
lab_kamailio -A FR_INV_MS=2000 -A WT_MS=5000
lab_uas uas1 5081 uas-487-ignore-ack.xml RING_MS=100 -- -pause_msg_ign
lab_uas uas2 5082 uas.xml RING_MS=100 ANSWER_MS=300
lab_uac caller uac-call.xml serial HOLD_MS=8000
lab_finish
lab_truth <<'JSON'
{
  "story": "serial: proxy times uas1 out after 2 s and forks to uas2, which answers; uas1 keeps retransmitting its 487 after the ACK; 7.5 s later, after the proxy freed the transaction, a 487 is relayed statelessly to the answered caller, who ACKs it and sends BYE.",
  "params": {"fr_inv_ms": 2000, "wt_ms": 5000, "ring_ms": 100, "uas2_answer_after_ring_ms": 300,
             "hold_ms": 8000, "reply_route": "stock (no t_check_trans)",
             "uas1_487_retransmissions_s": [0.5, 1.5, 3.5, 7.5]},
  "calls": [{
    "call_id": "1-stray-487-relayed@lab",
    "final_code": 200, "finals": [200, 487],
    "stray_finals": [487],
    "cancel": {"sent_by": "proxy", "cause_487": "proxy-timeout"},
    "legs": {
      "caller-proxy": {"final_code": 200,
                       "note": "a 487 from uas1 (its To tag) arrives after the 200 and the ACK"},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "proxy-timeout", "retransmitted_after_ack": 4},
      "proxy-uas2": {"final_code": 200}
    },
    "bye_from": "caller",
    "diagnoses": [
      {"id": "stray-response-forwarded", "leg": "caller-proxy", "severity": "error"},
      {"id": "487-retransmitted-after-ack", "leg": "proxy-uas1", "severity": "warning"},
      {"id": "proxy-timeout-cancel", "leg": "proxy-uas1", "severity": "warning"}],
    "absent": ["cancel-caller-hangup", "fork-branch-lost", "fork-no-winner", "missing-ack"]
  }],
  "notes": "final_code counts the stray 487 out: it matched no transaction at the proxy. The caller did see it (finals lists it)."
}
JSON
lab_expect_order caller-proxy 1-stray-487-relayed@lab "200 INVITE" ACK "487 INVITE" BYE
