#!/usr/bin/env bash
# auth-loop: the caller has the wrong password. Every INVITE with credentials is challenged
# again with 407; after three INVITEs (CSeq 1-3) the caller gives up. Nothing reaches the
# callee. One attempt, final 407.
source "$(dirname "$0")/../lab.sh"
lab_init auth-loop "$@"
lab_capture_start
lab_kamailio -A WITH_AUTH
lab_uac caller uac-call.xml u1 AUTH=1 AUTH_PASS=wrong-password AUTH_TRIES=3
lab_finish
lab_truth <<'JSON'
{
  "story": "Wrong password: INVITE -> 407 three times (the last two with credentials), then the caller gives up.",
  "params": {"auth": "digest, realm lab.test, user alice, wrong password", "invites": 3},
  "calls": [{
    "call_id": "1-auth-loop@lab",
    "final_code": 407, "finals": [407],
    "attempts": 1,
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {
      "caller-proxy": {"final_code": 407, "invite_transactions": 3,
                       "challenged_after_credentials": 2}
    },
    "diagnoses": [{"id": "auth-loop", "leg": "caller-proxy", "severity": "warning"}],
    "absent": ["missing-ack"]
  }]
}
JSON
