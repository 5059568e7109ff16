#!/usr/bin/env bash
# busy-486: the callee is busy and says so at once: 486 Busy Here, relayed by
# kamailio, ACKed hop by hop. Result REJECTED; no finding beyond the code itself.
source "$(dirname "$0")/../lab.sh"
lab_init busy-486 "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas-reject.xml RING=0 RING_MS=0 REJECT_MS=50 CODE=486 REASON="Busy Here"
lab_uac caller uac-call.xml u1
lab_finish
lab_truth <<'JSON'
{
  "story": "Callee busy: 486 Busy Here 50 ms after the INVITE, no ringing.",
  "params": {"ring": false, "ring_ms": 0, "reject_after_ms": 50, "uas_code": 486},
  "calls": [{
    "call_id": "1-busy-486@lab",
    "final_code": 486, "finals": [486],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-proxy": {"final_code": 486}, "proxy-uas1": {"final_code": 486, "cancel_from": null}},
    "diagnoses": [],
    "absent": ["cancel-caller-hangup", "487-without-cancel", "missing-ack", "auth-loop"]
  }]
}
JSON
