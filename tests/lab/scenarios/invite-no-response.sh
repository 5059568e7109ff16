#!/usr/bin/env bash
# invite-no-response: the callee's host takes the INVITE and says nothing at all. kamailio
# retransmits the INVITE (Timer A: 0.5, 1 s later) and, when fr_timer (2 s here) runs out
# without even a 100, answers the caller 408 Request Timeout.
source "$(dirname "$0")/../lab.sh"
lab_init invite-no-response "$@"
lab_capture_start
lab_kamailio -A FR_MS=2000
lab_uas uas1 5081 uas-silent.xml LINGER_MS=3000 -- -pause_msg_ign
lab_uac caller uac-call.xml u1
lab_finish
lab_truth <<'JSON'
{
  "story": "The callee never answers; the proxy retransmits the INVITE and answers 408 after fr_timer (2 s).",
  "params": {"fr_ms": 2000},
  "calls": [{
    "call_id": "1-invite-no-response@lab",
    "final_code": 408, "finals": [408],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {
      "caller-proxy": {"final_code": 408},
      "proxy-uas1": {"final_code": null, "cancel_from": null}
    },
    "diagnoses": [{"id": "invite-no-response", "leg": "proxy-uas1", "severity": "error"}],
    "absent": ["proxy-timeout-cancel", "fork-no-winner"]
  }]
}
JSON
