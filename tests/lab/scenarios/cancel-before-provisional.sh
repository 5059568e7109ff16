#!/usr/bin/env bash
# cancel-before-provisional: the caller sends its CANCEL 100 ms after the INVITE without
# waiting for a provisional response (RFC 3261 §9.1 says to wait for one). For the caller to
# have had none, this proxy does not send 100 Trying (tm auto_inv_100 off, -A NO_AUTO_100) and
# the callee is slow to ring (300 ms).
source "$(dirname "$0")/../lab.sh"
lab_init cancel-before-provisional "$@"
lab_capture_start
lab_kamailio -A NO_AUTO_100
lab_uas uas1 5081 uas.xml RING_MS=300 ANSWER_MS=30000
lab_uac caller uac-cancel.xml u1 EARLY=1 CANCEL_AFTER_MS=100 LATE_200_MS=300
lab_finish
lab_truth <<'JSON'
{
  "story": "The caller CANCELs 100 ms after the INVITE with no provisional response yet (the proxy sends no 100 Trying, the callee rings only after 300 ms).",
  "params": {"ring_ms": 300, "cancel_after_invite_ms": 100, "proxy_100_trying": false},
  "calls": [{
    "call_id": "1-cancel-before-provisional@lab",
    "final_code": 487, "finals": [487],
    "cancel": {"sent_by": "caller", "cause_487": "caller-hangup"},
    "legs": {
      "caller-proxy": {"final_code": 487, "cancel_from": "caller"},
      "proxy-uas1": {"final_code": 487, "cancel_from": "proxy", "cancel_reason": null,
                     "cause_487": "caller-hangup"}
    },
    "diagnoses": [{"id": "cancel-before-provisional", "leg": "caller-proxy", "severity": "warning"}],
    "absent": ["487-without-cancel", "cancel-unmatched"]
  }]
}
JSON
lab_expect_order caller-proxy 1-cancel-before-provisional@lab INVITE CANCEL "487 INVITE"
