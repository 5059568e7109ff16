#!/usr/bin/env bash
# tcp-proxy: the tcp-direct call through kamailio's TCP listener. The caller connects to
# 127.0.0.1:5060; kamailio relays over TCP to the callee from its listening socket (with
# force_send_socket and tcp_reuse_port, so its connection to the callee also comes from
# 127.0.0.1:5060 and the ACK and BYE reuse it). On MTU 1500 with GSO limited to one segment:
#   - the INVITE spans three segments on each hop (kamailio adds Via and Record-Route);
#   - the callee writes 100 Trying, 180 Ringing and a 200 OK with a 3.8 KB SDP with one send():
#     one segment carries the 100, the 180 and the start of the 200;
#   - kamailio writes the 180 and the 200 to the caller separately (the 200 over several
#     segments) and absorbs the 100.
source "$(dirname "$0")/../lab.sh"
lab_init tcp-proxy "$@"
lab_lo_mtu 1500
lab_capture_start
lab_kamailio -A WITH_TCP_PIN
LAB_UAS_TRANSPORT=t1 lab_uas uas1 5081 uas-tcp.xml
LAB_UAC_TRANSPORT=t1 lab_uac caller uac-tcp.xml u1 HOLD_MS=500
lab_finish
lab_truth <<'JSON'
{
  "story": "TCP call through kamailio: large INVITE split over segments on both hops; the callee's 100 + 180 + start of a 4.3 KB 200 share one segment; ACK, BYE after 500 ms over the same connections.",
  "transport": "tcp",
  "params": {"lo_mtu": 1500, "mss": 1448, "hold_ms": 500,
             "one_send": {"proxy-uas1": ["100 INVITE", "180 INVITE", "200 INVITE"]}},
  "calls": [{
    "call_id": "1-tcp-proxy@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-proxy": {"final_code": 200}, "proxy-uas1": {"final_code": 200}},
    "bye_from": "caller",
    "diagnoses": [],
    "absent": ["ack-2xx-missing", "bye-right-after-answer"]
  }]
}
JSON
