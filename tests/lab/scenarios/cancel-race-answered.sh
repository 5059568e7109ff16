#!/usr/bin/env bash
# cancel-race-answered: the callee's 200 OK crosses the caller's CANCEL.
# The callee answers 600 ms after ringing. The 200 spends 400 ms on the way from the proxy to
# the caller (a delay line in the namespace's INPUT chain, so the capture, taken at the proxy,
# shows it leave on time). 700 ms after the ringing, not having seen the 200 yet, the caller
# hangs up: its CANCEL reaches kamailio after the 200 was relayed, so kamailio answers
# "200 ok -- no more pending branches" and forwards nothing. Then the 200 arrives; the caller
# ACKs it and sends BYE at once: the callee sees a hang-up right after answering.
source "$(dirname "$0")/../lab.sh"
lab_init cancel-race-answered "$@"
# shellcheck disable=SC2034  # read by lab.sh: a missed race exits 3 (retry), not 1
LAB_TIMING=1
lab_capture_start
lab_kamailio
lab_delay dq200 1 INPUT 400 "-p udp --sport 5060 --dport 5070" \
    -m "SIP/2.0 200 OK" -m "CSeq: 1 INVITE" -c 1
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=600
lab_uac caller uac-cancel.xml u1 CANCEL_AFTER_MS=700
lab_finish
lab_truth <<'JSON'
{
  "story": "200 OK relayed at t+0.7 s and delayed 400 ms toward the caller; the caller's CANCEL at t+0.8 s meets a finished transaction; the caller ACKs the late 200 and sends BYE.",
  "params": {"ring_ms": 100, "answer_after_ring_ms": 600, "cancel_after_ring_ms": 700,
             "delay_200_to_caller_ms": 400},
  "calls": [{
    "call_id": "1-cancel-race-answered@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": "caller", "cause_487": null, "effect": "none: after the 200"},
    "legs": {
      "caller-proxy": {"final_code": 200, "cancel_from": "caller",
                       "cancel_response": "200 ok -- no more pending branches"},
      "proxy-uas1": {"final_code": 200, "cancel_from": null}
    },
    "bye_from": "caller",
    "diagnoses": [{"id": "cancel-race-answered", "leg": "caller-proxy", "severity": "warning"},
                  {"id": "bye-right-after-answer", "leg": "proxy-uas1", "severity": "info"}],
    "absent": ["cancel-caller-hangup", "cancel-race-487-then-200", "ack-2xx-missing",
               "cancel-unmatched"]
  }]
}
JSON
lab_expect_order caller-proxy 1-cancel-race-answered@lab "200 INVITE" CANCEL ACK BYE
