#!/usr/bin/env bash
# ack-2xx-missing: the caller never ACKs the 200. The callee retransmits its 200 (T1 = 500 ms
# doubling to T2 = 4 s, relayed by kamailio each time) and, as no ACK comes, gives up after
# 8 s and hangs up with BYE (the lab's stand-in for 64*T1 = 32 s). The call drops.
source "$(dirname "$0")/../lab.sh"
lab_init ack-2xx-missing "$@"
lab_capture_start
lab_kamailio
lab_uas uas1 5081 uas.xml RING_MS=100 ANSWER_MS=300 RETRANS_200=1
lab_uac caller uac-call.xml u1 NO_ACK_2XX=1 BYE_WAIT_MS=12000
lab_finish
lab_truth <<'JSON'
{
  "story": "200 OK never ACKed: the callee retransmits it at 0.5, 1.5, 3.5, 7.5 s, gives up at 8 s and sends BYE.",
  "params": {"ring_ms": 100, "answer_after_ring_ms": 300, "callee_gives_up_ms": 8000,
             "note": "real UAs give up after 64*T1 = 32 s"},
  "calls": [{
    "call_id": "1-ack-2xx-missing@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {
      "caller-proxy": {"final_code": 200, "ack": false},
      "proxy-uas1": {"final_code": 200, "ack": false}
    },
    "bye_from": "callee",
    "diagnoses": [{"id": "ack-2xx-missing", "leg": "caller-proxy", "severity": "error"}],
    "absent": ["missing-ack", "bye-right-after-answer"]
  }]
}
JSON
