#!/usr/bin/env bash
# cancel-race-487-then-200: the CANCEL wins on the caller's side, and a 200 OK still comes.
# The callee answers 700 ms after ringing, but its 200 needs 1.8 s to reach the proxy (a delay
# line in the OUTPUT chain: the capture sees it when it arrives). 50 ms after the callee
# answered, the caller hangs up. kamailio CANCELs the branch; the callee, which has already
# answered, confirms the CANCEL with 200 and sends no 487. When kamailio's fr_inv_timer
# (1.5 s here) fires it answers the caller 487 itself. Then the 200 arrives and kamailio
# relays it (a 2xx is always forwarded): the caller, which has ACKed its 487, must ACK the 200
# and hang up with BYE.
source "$(dirname "$0")/../lab.sh"
lab_init cancel-race-487-then-200 "$@"
# shellcheck disable=SC2034  # read by lab.sh: a missed race exits 3 (retry), not 1
LAB_TIMING=1
lab_capture_start
lab_kamailio -A FR_INV_MS=1500
lab_delay dq200 1 OUTPUT 1800 "-p udp --sport 5081 --dport 5060" \
    -m "SIP/2.0 200 OK" -m "CSeq: 1 INVITE" -c 1
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=700
lab_uac caller uac-cancel.xml u1 CANCEL_AFTER_MS=750 LATE_200_MS=3000
lab_finish
lab_truth <<'JSON'
{
  "story": "Callee answers at t+0.8 s but its 200 reaches the proxy only at t+2.6 s; the caller CANCELs at t+0.85 s, gets the proxy's own 487 when fr_inv_timer fires, ACKs it, then gets the 200 and must ACK and BYE.",
  "params": {"fr_inv_ms": 1500, "ring_ms": 100, "answer_after_ring_ms": 700,
             "cancel_after_ring_ms": 750, "delay_200_to_proxy_ms": 1800},
  "calls": [{
    "call_id": "1-cancel-race-487-then-200@lab",
    "final_code": 200, "finals": [487, 200],
    "cancel": {"sent_by": "caller", "cause_487": "caller-hangup"},
    "legs": {
      "caller-proxy": {"final_code": 200, "cancel_from": "caller",
                       "note": "487 from the proxy's timer first, then the relayed 200"},
      "proxy-uas1": {"final_code": 200, "cancel_from": "proxy", "cancel_reason": null,
                     "note": "callee answered before the CANCEL reached it; 200 to the CANCEL, no 487"}
    },
    "bye_from": "caller",
    "diagnoses": [{"id": "cancel-race-487-then-200", "leg": "caller-proxy", "severity": "warning"},
                  {"id": "bye-right-after-answer", "leg": "proxy-uas1", "severity": "info"}],
    "absent": ["cancel-race-answered", "487-without-cancel", "stray-response-forwarded"]
  }]
}
JSON
lab_expect_order caller-proxy 1-cancel-race-487-then-200@lab CANCEL "487 INVITE" "200 INVITE" BYE
