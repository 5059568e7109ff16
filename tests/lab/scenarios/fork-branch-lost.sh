#!/usr/bin/env bash
# fork-branch-lost: parallel forking to three phones. uas1 answers after 400 ms of ringing;
# uas2 and uas3 keep ringing, so kamailio CANCELs them with
# "Reason: SIP;cause=200;text="Call completed elsewhere"" and they answer 487. The two 487s
# are normal: the call succeeded.
source "$(dirname "$0")/../lab.sh"
lab_init fork-branch-lost "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=400
lab_uas uas2 5082 uas.xml RING_MS=150 ANSWER_MS=30000
lab_uas uas3 5083 uas.xml RING_MS=200 ANSWER_MS=30000
lab_uac caller uac-call.xml fork3 HOLD_MS=500
lab_finish
lab_truth <<'JSON'
{
  "story": "fork3: three branches ring; uas1 answers, the proxy cancels uas2 and uas3 with Reason cause=200.",
  "params": {"ring_ms": {"uas1": 100, "uas2": 150, "uas3": 200}, "answer_after_ring_ms": 400,
             "hold_ms": 500},
  "calls": [{
    "call_id": "1-fork-branch-lost@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": "proxy", "cause_487": "fork-branch-lost"},
    "legs": {
      "caller-proxy": {"final_code": 200},
      "proxy-uas1": {"final_code": 200},
      "proxy-uas2": {"final_code": 487, "cancel_from": "proxy",
                     "cancel_reason": "SIP;cause=200;text=\"Call completed elsewhere\"",
                     "cause_487": "fork-branch-lost"},
      "proxy-uas3": {"final_code": 487, "cancel_from": "proxy",
                     "cancel_reason": "SIP;cause=200;text=\"Call completed elsewhere\"",
                     "cause_487": "fork-branch-lost"}
    },
    "diagnoses": [{"id": "fork-branch-lost", "leg": "proxy-uas2", "severity": "info"},
                  {"id": "fork-branch-lost", "leg": "proxy-uas3", "severity": "info"}],
    "absent": ["fork-no-winner", "proxy-timeout-cancel", "cancel-caller-hangup",
               "487-without-cancel", "stray-response-forwarded"]
  }]
}
JSON
