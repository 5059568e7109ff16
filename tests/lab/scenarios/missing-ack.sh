#!/usr/bin/env bash
# missing-ack: the caller hangs up (CANCEL after ringing) but never ACKs the 487. kamailio,
# the UAS of the originating leg, retransmits its 487 (Timer G) until its transaction ends;
# the callee's leg is ACKed normally by kamailio. fr_timer is 4 s here so the retransmissions
# show (kamailio waits fr_timer for the ACK, not Timer H's 32 s).
source "$(dirname "$0")/../lab.sh"
lab_init missing-ack "$@"
lab_capture_start
lab_kamailio -A FR_MS=4000
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=30000
lab_uac caller uac-cancel.xml u1 CANCEL_AFTER_MS=500 NO_ACK=1 ABSORB_MS=2500
lab_finish
lab_truth <<'JSON'
{
  "story": "Caller cancels after 500 ms of ringing and never ACKs the 487; the proxy retransmits it (T1 doubling) until its fr_timer (4 s here) ends the transaction.",
  "params": {"ring_ms": 100, "cancel_after_ms": 500, "fr_ms": 4000},
  "calls": [{
    "call_id": "1-missing-ack@lab",
    "final_code": 487, "finals": [487],
    "cancel": {"sent_by": "caller", "cause_487": "caller-hangup"},
    "legs": {
      "caller-proxy": {"final_code": 487, "cancel_from": "caller", "ack": false},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "caller-hangup", "ack": true}
    },
    "diagnoses": [{"id": "missing-ack", "leg": "caller-proxy", "severity": "warning"},
                  {"id": "cancel-caller-hangup", "leg": "caller-proxy", "severity": "info"}],
    "absent": ["487-retransmitted-after-ack", "proxy-timeout-cancel"]
  }]
}
JSON
