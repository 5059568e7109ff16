/* The response code table: every code of the IANA SIP response-code registry, sorted, with what
 * it means, what operators usually find behind it, and protocol behaviour worth knowing. Written
 * in our own words from the RFCs and from operations; nothing here is copied from a vendor page.
 * How a code counts in the metrics is deliberately absent: codes.c derives it from
 * metrics_category(). tests/report/test_codes.c checks this table against the registry list. */
#include "report/codes_int.h"

#define NOTE_4XX_UNKNOWN \
    "A UA that receives a 4xx it does not recognise must treat it as 400 (RFC 3261 §8.1.3.2)."

const struct code_info codes_tab[] = {
    /* 1xx provisional */
    { 100, "Trying", "RFC 3261 §21.1.1",
      "The next hop has the request and is handling it. It tells nothing about the callee; its "
      "job is to stop the previous hop from retransmitting the INVITE.",
      "Sent at once by stateful proxies and by many UAs before they alert. When 100s are missing "
      "over UDP the previous hop keeps retransmitting the INVITE (Timer A), the first sign of a "
      "next hop that is down, unreachable or dropping packets.",
      "Hop by hop: a proxy never forwards a 100 (RFC 3261 §16.7), so each 100 in a trace belongs "
      "to one hop. It creates no dialog and does not end PDD.",
      false },
    { 180, "Ringing", "RFC 3261 §21.1.2",
      "The callee's device, or an element acting for it, is alerting the user. With a To tag it "
      "creates an early dialog.",
      "The normal progress of a call. Several 180s with different To tags mean the INVITE was "
      "forked and more than one device rings. Without SDP the caller's phone plays its own "
      "ringback; with SDP (or after a 183) the network sends ringback as early media.",
      "Forwarded by proxies; unreliable unless 100rel/PRACK is in use (RFC 3262). sipsleuth "
      "ends PDD at the earliest 180 or 183 on the originating leg.",
      false },
    { 181, "Call Is Being Forwarded", "RFC 3261 §21.1.3",
      "An element tells the caller that the call is being sent on to other destinations.",
      "Call forwarding (unconditional, on busy, on no answer) applied by a PBX or application "
      "server, or a hunt group moving to its next member. Informational only, and many networks "
      "never send it.",
      NULL, false },
    { 182, "Queued", "RFC 3261 §21.1.4",
      "The callee cannot take the call yet, and the server has queued it instead of rejecting it.",
      "Contact-centre queues, ACD systems and camp-on features. Several 182s may arrive while the "
      "call waits; a long queue shows as a long setup time, not as a failure.",
      NULL, false },
    { 183, "Session Progress", "RFC 3261 §21.1.5",
      "A general progress report for the call, usually with SDP so that early media (ringback, "
      "announcements, IVR prompts) can flow before the answer.",
      "PSTN gateways and carrier networks use it to cut through ringback or recorded "
      "announcements; a 183 followed by a failure code usually means the caller heard an "
      "announcement explaining the failure. In IMS networks it carries precondition negotiation "
      "(RFC 3312) and is sent reliably with PRACK (RFC 3262).",
      "Forwarded by proxies; ends PDD like a 180. A UA treats a provisional code it does not "
      "know (other than 100) as 183 (RFC 3261 §8.1.3.2).",
      false },
    { 199, "Early Dialog Terminated", "RFC 6228",
      "One early dialog, created by an earlier provisional response, has ended while the INVITE "
      "transaction goes on. The caller can release what it held for that dialog, such as its "
      "early media stream.",
      "A forking proxy got a final error on one branch while others still ring, or a UAS ends "
      "one of its early dialogs. Only sent when the caller advertised Supported: 199; the To tag "
      "names the early dialog that ended.",
      "Provisional: the call continues, and a 199 is never a final code.", false },

    /* 2xx success */
    { 200, "OK", "RFC 3261 §21.2.1",
      "The request succeeded. For an INVITE, the call was answered and the dialog is confirmed; "
      "for a BYE, the call is over; for a CANCEL, only that the CANCEL was received.",
      "The normal outcome. For an INVITE, check that an ACK follows: a 200 retransmitted with no "
      "ACK means the ACK is lost or misrouted (often NAT or Record-Route trouble) and the callee "
      "hangs up after about 32 s. A 200 to a CANCEL does not prove the call was cancelled; the "
      "487 to the INVITE does.",
      "A 2xx to an INVITE is acknowledged end to end: the ACK is a new transaction from the "
      "caller, and the callee's core retransmits the 200 until it arrives (RFC 3261 §13.3.1.4). "
      "Proxies forward every 2xx, including one per answering fork branch (§16.7), and the caller "
      "must ACK each.",
      false },
    { 202, "Accepted", "RFC 6665; RFC 3515 (REFER)",
      "The request was accepted for processing, but its result is not known yet. The registry "
      "marks it deprecated: RFC 6665 has notifiers answer SUBSCRIBE with 200 instead.",
      "A REFER accepted by the transferee in a call transfer (the outcome follows in NOTIFYs with "
      "sipfrag bodies), a SUBSCRIBE accepted by an older implementation, or a MESSAGE taken by a "
      "store-and-forward server (RFC 3428). Since RFC 6665 and RFC 7647 a REFER may be answered "
      "with 200 as well, and a receiver must handle 202 exactly like 200.",
      "Not expected as the final response to an INVITE; if it is one, it counts as any 2xx.",
      true },
    { 204, "No Notification", "RFC 5839",
      "A conditional SUBSCRIBE succeeded, and the notifier will not send a NOTIFY because the "
      "subscriber already has the current state.",
      "Subscribers that refresh with a Suppress-If-Match entity tag (RFC 5839), such as presence "
      "or dialog-state watchers; it saves one NOTIFY per refresh. Seen on SUBSCRIBE only.",
      NULL, false },

    /* 3xx redirection */
    { 300, "Multiple Choices", "RFC 3261 §21.3.1",
      "The address resolved to several possible locations, listed in Contact headers; the caller "
      "may try one or more of them.",
      "Redirect servers and location services that hand back every registered contact instead of "
      "forking. Rare on carrier trunks. PBXs and SBCs that do not act on 3xx let the call fail "
      "right there.",
      "Like any final response, a 3xx ends the INVITE transaction and is ACKed hop by hop. The "
      "call goes on only if the caller (or a proxy) recurses with a new INVITE to a Contact.",
      false },
    { 301, "Moved Permanently", "RFC 3261 §21.3.2",
      "The user is no longer at the Request-URI; the Contact header gives the new address, which "
      "the caller may keep for later requests.",
      "Number changes, platform migrations, and permanent forwarding configured as a redirect. "
      "Seldom seen: 302 is far more common.",
      NULL, false },
    { 302, "Moved Temporarily", "RFC 3261 §21.3.3",
      "Retry this request at the address in the Contact header. The move is temporary, so it is "
      "not cached beyond its expiry.",
      "Call forwarding done with a redirect; routing, number-portability or least-cost-routing "
      "lookups done by a redirect server (the SBC asks, gets a 302 with the route, then sends the "
      "real INVITE). A 302 as a call's last code usually means the element before it does not "
      "follow redirects.",
      "The caller recursing on the Contact sends a new INVITE; the 302 itself is ACKed hop by "
      "hop.",
      false },
    { 305, "Use Proxy", "RFC 3261 §21.3.4",
      "The request must be sent through the proxy given in the Contact header.",
      "Very rare. Because it steers traffic through a new proxy, many UAs ignore it or honour it "
      "only from trusted servers; RFC 3261 lets only a UAS send it.",
      NULL, false },
    { 380, "Alternative Service", "RFC 3261 §21.3.5",
      "The call cannot succeed as addressed, but an alternative service can; the body describes "
      "it.",
      "In IMS and VoLTE networks (3GPP TS 24.229) the network uses it to tell a phone to place "
      "the call again as an emergency call. Elsewhere it occasionally points the caller at "
      "voicemail or another service.",
      NULL, false },

    /* 4xx request failure */
    { 400, "Bad Request", "RFC 3261 §21.4.1",
      "The receiver could not understand the request because of a syntax error. The reason "
      "phrase should say which.",
      "Missing or repeated mandatory headers (Via, Call-ID, CSeq, Max-Forwards), malformed URIs "
      "or header values, a Content-Length that does not match the body, an SDP body that does "
      "not parse, or headers mangled by a NAT ALG or an SBC. Read the reason phrase and any "
      "Warning header, then compare the request with the copy one hop earlier: a difference "
      "points at the element in between.",
      NOTE_4XX_UNKNOWN, false },
    { 401, "Unauthorized", "RFC 3261 §21.4.2",
      "The request needs user authentication. The WWW-Authenticate header carries a challenge, "
      "and the client is expected to resend the request with credentials.",
      "The first REGISTER or INVITE to a registrar or UAS that uses digest authentication: one "
      "401 followed by a resend with credentials is normal. A 401 after credentials were sent "
      "means they were refused: wrong user name or password, a different realm, a stale nonce "
      "the client keeps reusing, or nonce state lost after a failover.",
      "Sent by registrars and UAs; proxies challenge with 407. A challenge answered by a resend "
      "with credentials is the same attempt in sipsleuth's counts, not a failed call.",
      false },
    { 402, "Payment Required", "RFC 3261 §21.4.3",
      "Reserved by RFC 3261 for future use; it has no standard meaning.",
      "Some carriers and prepaid platforms send it for an account without credit or over its "
      "spending limit. The reason phrase is the only explanation to go on.",
      NULL, false },
    { 403, "Forbidden", "RFC 3261 §21.4.4",
      "The server understood the request and refuses it. Authenticating again will not help, and "
      "the request should not be repeated as it is.",
      "From a registrar: a disabled or locked account, a source address not on the allow list, a "
      "user not allowed in this domain, or credentials refused by a server that answers 403 "
      "instead of a new 401. From a carrier or SBC: a barred destination (international, premium "
      "rate, fraud rules), a caller ID the trunk may not present or that failed verification "
      "policy, an account out of credit, or a channel or call-rate limit. The reason phrase and "
      "Warning header usually tell which.",
      NULL, false },
    { 404, "Not Found", "RFC 3261 §21.4.5",
      "The user in the Request-URI does not exist at this domain, or the domain is not one the "
      "server is responsible for.",
      "A number or user that is not provisioned, a wrong number format (missing country code, "
      "national instead of E.164), a request sent to a server that does not serve that domain, "
      "or a routing table without a matching entry. Unlike 484 the address is complete, and "
      "unlike 480 the user is unknown rather than unreachable. PSTN gateways map Q.850 cause 1 "
      "(unallocated number) to 404.",
      NULL, false },
    { 405, "Method Not Allowed", "RFC 3261 §21.4.6",
      "The server knows the method but does not allow it for this address. The response must "
      "list the allowed methods in an Allow header.",
      "SUBSCRIBE, REFER, UPDATE, MESSAGE or PUBLISH sent to a device or trunk without that "
      "feature: a blind transfer (REFER) towards a carrier trunk, or busy-lamp subscriptions to "
      "a gateway. The Allow header shows what would have been accepted.",
      NULL, false },
    { 406, "Not Acceptable", "RFC 3261 §21.4.7",
      "The server could only answer with content that the Accept header of the request rules "
      "out.",
      "Rare. Seen with strict Accept headers on SUBSCRIBE or OPTIONS, when the notifier cannot "
      "produce any of the body types the subscriber accepts.",
      NULL, false },
    { 407, "Proxy Authentication Required", "RFC 3261 §21.4.8",
      "Like 401, but the challenge comes from a proxy on the path, in a Proxy-Authenticate "
      "header; the client resends with Proxy-Authorization.",
      "The first INVITE through an authenticating outbound proxy or SBC, followed by the resend "
      "with credentials: normal. Repeated 407s after credentials were sent mean wrong "
      "credentials for the proxy's realm, an answer to another realm than the one challenged, or "
      "a proxy cluster that does not share nonce state.",
      "A forking proxy may gather the challenges of several branches into one 401 or 407 (RFC "
      "3261 §16.7). A challenge answered by a resend is the same attempt in sipsleuth's counts.",
      false },
    { 408, "Request Timeout", "RFC 3261 §21.4.9",
      "No final answer came about before the server's own deadline; for example the user could "
      "not be located in time.",
      "Most 408s on the wire come from a proxy whose INVITE timer expired (Timer C, or a "
      "configured limit such as a no-answer timer): a 180 followed by 408 is a ring-no-answer "
      "timeout, while a 408 with nothing before it means the callee never answered at all "
      "(unreachable, firewalled, stale registration). A caller's own Timer B (32 s) produces a "
      "408 inside the UA that never appears on the wire: the trace shows INVITE retransmissions "
      "and no final response. PSTN gateways map Q.850 cause 18 (no user responding) to 408.",
      "When Timer C fires on a branch that got a provisional, the proxy CANCELs that branch (RFC "
      "3261 §16.8). Many proxies then answer 408 upstream; one that follows §16.7 literally "
      "forwards the branch's 487 instead, which looks like a cancel nobody asked for.",
      false },
    { 410, "Gone", "RFC 3261 §21.4.10",
      "The user used to exist here but no longer does, and no forwarding address is known.",
      "Deprovisioned subscribers and disconnected or changed numbers; PSTN gateways map Q.850 "
      "cause 22 (number changed) to 410.",
      NULL, false },
    { 412, "Conditional Request Failed", "RFC 3903",
      "A PUBLISH tried to refresh, change or remove event state with an entity tag (SIP-If-Match) "
      "that the server does not know.",
      "The presence server or event state compositor restarted or expired the publication before "
      "the client refreshed it, or the client reused an old entity tag. The client should "
      "publish its full state again without SIP-If-Match.",
      NULL, false },
    { 413, "Request Entity Too Large", "RFC 3261 §21.4.11",
      "The request body is larger than the server is willing or able to process.",
      "Large SDP offers (many codecs, video, ICE candidates), multipart bodies carrying ISUP or "
      "location objects, or large presence documents. A Retry-After header means the limit is "
      "temporary.",
      NULL, false },
    { 414, "Request-URI Too Long", "RFC 3261 §21.4.12",
      "The Request-URI is longer than the server is willing to interpret.",
      "URIs that carry embedded headers (?name=value), routing or tracking parameters added at "
      "each hop, or a rewrite rule that keeps prepending digits in a loop.",
      NULL, false },
    { 415, "Unsupported Media Type", "RFC 3261 §21.4.13",
      "The format, encoding or language of the request body is not supported; the response says "
      "what is, in Accept, Accept-Encoding or Accept-Language.",
      "An INVITE with a multipart body (SDP plus ISUP or XML) towards a device that takes only "
      "application/sdp, compressed bodies, or a MESSAGE or NOTIFY body type the receiver does not "
      "implement.",
      NULL, false },
    { 416, "Unsupported URI Scheme", "RFC 3261 §21.4.14",
      "The server does not understand the scheme of the Request-URI.",
      "tel: or urn: URIs sent to a server that handles only sip:, sips: sent to a server without "
      "TLS, or a malformed URI produced by a dial plan or click-to-dial application.",
      NULL, false },
    { 417, "Unknown Resource-Priority", "RFC 4412",
      "The request required resource priority, but its Resource-Priority namespace or value is "
      "not one the server understands.",
      "Priority-call schemes (government emergency preference, military precedence namespaces) "
      "sent into a network that does not support them. Accept-Resource-Priority in the response "
      "lists the values that would work.",
      NULL, false },
    { 420, "Bad Extension", "RFC 3261 §21.4.15",
      "The server does not support an extension that the request listed in Require or "
      "Proxy-Require; the Unsupported header names it.",
      "A caller that insists on an option tag the callee lacks: Require: 100rel towards an "
      "endpoint without PRACK (RFC 3262), Require: timer without session timers (RFC 4028), "
      "Require: precondition, or Proxy-Require: sec-agree towards a non-IMS proxy. Moving the "
      "tag from Require to Supported usually cures it.",
      NULL, false },
    { 421, "Extension Required", "RFC 3261 §21.4.16",
      "The server needs an extension to handle the request, and the request did not list it in "
      "Supported; the Require header of the response names the extension.",
      "Endpoints that demand reliable provisional responses (100rel, RFC 3262) or session timers "
      "(timer, RFC 4028) from a caller that supports neither, and IMS cores that demand "
      "preconditions or sec-agree.",
      NULL, false },
    { 422, "Session Interval Too Small", "RFC 4028 §6",
      "The session refresh interval asked for (Session-Expires) is shorter than this server "
      "accepts. The response carries Min-SE, the lowest interval it will take.",
      "Session-timer settings that differ between elements, such as a caller asking for 90 s "
      "through a proxy that wants 1800 s. The caller should retry at once with a larger "
      "Session-Expires; a 422 as a call's final code means it did not.",
      NULL, false },
    { 423, "Interval Too Brief", "RFC 3261 §21.4.17",
      "The expiry asked for (of a registration, or of a subscription) is shorter than the server "
      "allows; the Min-Expires header gives the minimum.",
      "Phones or NAT keep-alive settings with very short registration intervals (30 or 60 s) "
      "against a registrar that wants longer ones. The client should retry with an Expires of at "
      "least Min-Expires.",
      NULL, false },
    { 424, "Bad Location Information", "RFC 6442",
      "The location conveyed with the request (Geolocation header or PIDF-LO body) was malformed "
      "or unusable; a Geolocation-Error header says why.",
      "Emergency calling and location-based routing where a location reference cannot be "
      "dereferenced, the PIDF-LO does not validate, or the location is too vague to route on.",
      NULL, false },
    { 425, "Bad Alert Message", "RFC 8876",
      "A non-interactive emergency alert (a request carrying a CAP alert payload) could not be "
      "processed; the AlertMsg-Error header gives the reason.",
      "Automatic alerting sources (sensors, vehicles, alarm panels) sending a missing, corrupted "
      "or incomplete CAP payload to a public-safety answering point or its emergency network.",
      NULL, false },
    { 428, "Use Identity Header", "RFC 8224 §6.2.2",
      "The verifier requires a signed caller identity (an Identity header, STIR) and the request "
      "carried none.",
      "Networks that enforce STIR/SHAKEN signing on incoming calls, receiving unsigned calls from "
      "a peer or trunk that does not sign. Many networks accept unsigned calls and only label "
      "them instead.",
      NULL, false },
    { 429, "Provide Referrer Identity", "RFC 3892",
      "The receiver of a request triggered by a REFER (such as the transfer target getting the "
      "transferee's INVITE) wants a signed Referred-By token, and the request had none.",
      "Call transfers to endpoints with strict transfer security. Rare in the field.", NULL,
      false },
    { 430, "Flow Failed", "RFC 5626",
      "An edge proxy could not forward the request over the client connection (flow) that the "
      "registration named, because that flow has failed.",
      "SIP outbound deployments (RFC 5626) where a phone's TCP or TLS connection to the edge "
      "proxy broke (NAT timeout, network change, missed keep-alives) while the registrar still "
      "lists the flow. The authoritative proxy normally tries another flow of the same user, and "
      "the UA re-registers once it notices; a caller rarely sees this code.",
      NULL, false },
    { 433, "Anonymity Disallowed", "RFC 5079",
      "The callee's policy rejects requests whose caller hides their identity.",
      "Anonymous call rejection: the caller sent Privacy: id, a From of "
      "anonymous@anonymous.invalid or withheld its number. Calling again with the identity "
      "shown gets through.",
      NULL, false },
    { 436, "Bad Identity Info", "RFC 8224 §6.2.2",
      "The verifier could not use the credential reference of the Identity header (its info "
      "parameter, the Identity-Info header of RFC 4474): it could not be fetched or was "
      "malformed.",
      "STIR/SHAKEN certificate URLs (x5u) that are unreachable, time out, return an error or use "
      "an unsupported scheme, and firewalls that block the verifier's HTTPS fetch.",
      NULL, false },
    { 437, "Unsupported Credential", "RFC 8224 §6.2.2",
      "The verifier fetched the credential named by the Identity header but cannot accept it, "
      "for example because it does not trust its issuer.",
      "STIR/SHAKEN certificates from an authority outside the verifier's trust list, expired or "
      "revoked certificates, or certificates not covering the calling number. Older equipment "
      "still sends the RFC 4474 phrase \"Unsupported Certificate\".",
      NULL, false },
    { 438, "Invalid Identity Header", "RFC 8224 §6.2.2",
      "The verifier obtained a usable credential, but the signature in the Identity header does "
      "not verify against the request.",
      "An element between signer and verifier changed a signed field (number normalisation in "
      "From or To, a rewritten Date), or the signer is broken. Compare the numbers in the "
      "PASSporT with the From and To headers as they arrived.",
      NULL, false },
    { 439, "First Hop Lacks Outbound Support", "RFC 5626",
      "The registrar supports SIP outbound (RFC 5626) and the REGISTER asked for it, but the "
      "first-hop proxy the client registered through does not support it.",
      "A phone configured for outbound (reg-id and +sip.instance) registering through an edge "
      "proxy or SBC without outbound support, so the registrar cannot set up a flow. "
      "Registering without outbound still works.",
      NULL, false },
    { 440, "Max-Breadth Exceeded", "RFC 5393",
      "Forking the request further would exceed its Max-Breadth, the limit on how many parallel "
      "branches one request may spread into.",
      "Heavy parallel forking, such as hunt groups containing other groups, or two forking "
      "proxies spiralling a request between them. RFC 5393 added the limit against amplification "
      "attacks.",
      NULL, false },
    { 469, "Bad Info Package", "RFC 6086",
      "An INFO request used an Info Package (RFC 6086) that the receiver did not agree to receive "
      "in this session.",
      "DTMF or other mid-call data sent as INFO with an Info-Package not listed in the peer's "
      "Recv-Info, or after a re-INVITE changed the negotiated packages. Legacy INFO without an "
      "Info-Package header does not draw a 469.",
      NULL, false },
    { 470, "Consent Needed", "RFC 5360",
      "The request would reach recipients that have not consented to traffic from this sender; "
      "the Permission-Missing header lists them.",
      "URI-list services (conference or message exploders) under the consent framework of RFC "
      "5360, which must first get each recipient's permission. Rare outside such services.",
      NULL, false },
    { 480, "Temporarily Unavailable", "RFC 3261 §21.4.18",
      "The callee is known here but cannot be contacted right now. Retry-After may say "
      "when to try again.",
      "A user with no current registration (phone off, app asleep, registration expired behind "
      "NAT), do-not-disturb, a PBX's own no-answer timeout, or a mobile that is switched off or "
      "out of coverage. PSTN gateways map Q.850 causes 19 (no answer from user) and 20 "
      "(subscriber absent) to 480.",
      NULL, false },
    { 481, "Call/Transaction Does Not Exist", "RFC 3261 §21.4.19",
      "The request matches no dialog or transaction that the receiver knows.",
      "A CANCEL that arrives after the INVITE was answered or ended (the cancel/answer race), or "
      "that does not match its INVITE (different branch, Request-URI or CSeq, typical of B2BUAs "
      "and SBCs that rebuild requests); a BYE or re-INVITE after the other side already tore the "
      "call down, or sent to an element that restarted or failed over; a NOTIFY for an expired "
      "subscription.",
      "An INVITE with Replaces (RFC 3891) gets 481 when the dialog it wants to replace does not "
      "exist (any more) at that UA. An ACK never gets a response, so never a 481.",
      false },
    { 482, "Loop Detected", "RFC 3261 §21.4.20",
      "The receiver already handled this very request and concludes that it is looping. A UAS "
      "also uses 482 for a merged request: the same request reaching it twice by different paths "
      "(RFC 3261 §8.2.2.2).",
      "Forking that reaches one device twice (a user registered twice, or a phone in two hunt "
      "groups): one copy gets 482, harmless when another branch succeeds. Routes that send a "
      "request back to a proxy that already handled it, and DNS or route entries pointing a "
      "domain at itself.",
      "Loop detection in proxies is optional (RFC 3261 §16.3); Max-Forwards and 483 are the "
      "backstop.",
      false },
    { 483, "Too Many Hops", "RFC 3261 §21.4.21",
      "Max-Forwards reached zero before the request reached its destination.",
      "A routing loop that loop detection cannot see, typically through B2BUAs or SBCs that "
      "build a fresh Via stack so each pass looks new, such as two elements each routing a "
      "number range to the other. Less often a sender starting with a very low Max-Forwards. "
      "Look for the same number bouncing between two addresses in quick succession.",
      NULL, false },
    { 484, "Address Incomplete", "RFC 3261 §21.4.22",
      "The Request-URI is incomplete: more digits or a longer address are needed.",
      "Overlap dialling from gateways that send digits as they arrive, numbers missing an area "
      "or country code, or a dial plan that matches a prefix but needs more digits. Unlike 404 "
      "the address is unfinished rather than unknown. PSTN gateways map Q.850 cause 28 (invalid "
      "number format) to 484.",
      NULL, false },
    { 485, "Ambiguous", "RFC 3261 §21.4.23",
      "The Request-URI matches more than one user; the response may list candidates in Contact "
      "headers.",
      "Name dialling or directory lookups where a partial name or short extension fits several "
      "users. Rare on trunks; servers may leave out the candidates for privacy.",
      NULL, false },
    { 486, "Busy Here", "RFC 3261 §21.4.24",
      "The callee was reached but is not willing or able to take another call on this device. "
      "The user may still be reachable elsewhere, such as on voicemail.",
      "A phone already in a call with call waiting off, a line or trunk with every channel in use "
      "(some PBXs and gateways answer 486 where 503 would fit), a user pressing busy or "
      "do-not-disturb on phones that send 486, and PSTN user busy (Q.850 cause 17).",
      NULL, false },
    { 487, "Request Terminated", "RFC 3261 §21.4.25",
      "The INVITE ended without an answer because a CANCEL for it arrived first (RFC 3261 also "
      "lets a BYE end a pending request this way). It is never the response to the CANCEL "
      "itself, which gets 200.",
      "Most often the caller hung up while it was ringing, which is normal. Also: a forking proxy "
      "cancelling the losing branches after one answered (Reason: SIP;cause=200), a proxy or SBC "
      "whose no-answer timer expired, a caller application or load test cancelling on its own "
      "timer, or a B2BUA passing on a cancel from its other side. Where the CANCEL came from "
      "tells these apart.",
      "Answers a CANCELed INVITE and is ACKed hop by hop. If the callee's 200 crossed the "
      "CANCEL, the call was answered instead, and the caller must ACK it and send BYE.",
      false },
    { 488, "Not Acceptable Here", "RFC 3261 §21.4.26",
      "The session description (SDP offer) is not acceptable at this destination: no codec, "
      "transport or media parameters in common. A Warning header should name the part that "
      "failed.",
      "No common codec (G.729 only against G.711 only, wideband-only endpoints), secure against "
      "plain RTP profiles (RTP/SAVP versus RTP/AVP, DTLS versus SDES keying), a re-INVITE to T.38 "
      "fax towards a gateway or ATA without T.38, unsupported video or too many media lines, ICE "
      "or bandwidth attributes a device refuses, and SBC media policy. Warning codes in the 300 "
      "range (such as 304, media type not available, or 305, incompatible media format) narrow "
      "it down.",
      "A 488 to a re-INVITE (a T.38 switch, hold, a codec change) refuses only the change: the "
      "call goes on with the old session. Only a 488 to the initial INVITE ends the call.",
      false },
    { 489, "Bad Event", "RFC 6665",
      "The receiver does not know or offer the event package that a SUBSCRIBE, NOTIFY or "
      "PUBLISH names in its Event header.",
      "Phones subscribing to packages the server does not offer (dialog for busy lamps, presence, "
      "message-summary for voicemail lamps, reg), a missing Event header, or a NOTIFY for a "
      "package the subscriber never asked for. The Allow-Events header lists what is supported.",
      NULL, false },
    { 491, "Request Pending", "RFC 3261 §21.4.27",
      "The receiver has a request of its own pending in the same dialog, so it cannot handle "
      "this one yet (glare).",
      "Both sides sending a re-INVITE or UPDATE at the same moment: hold and resume, codec or "
      "T.38 switches, or session refreshes colliding. Each side retries after a random delay "
      "(RFC 3261 §14.1: 2.1 to 4 s for the side that created the Call-ID, up to 2 s for the "
      "other). Repeated 491s point at two B2BUAs refreshing on the same timer.",
      "Almost always the answer to a re-INVITE or UPDATE, so the call itself continues.", false },
    { 493, "Undecipherable", "RFC 3261 §21.4.28",
      "The request carried an encrypted S/MIME body that the receiver cannot decrypt, for lack "
      "of the key or of the algorithm.",
      "Rare, as S/MIME in SIP is hardly deployed: a client encrypting to a stale public key, or a "
      "receiver without S/MIME support.",
      NULL, false },
    { 494, "Security Agreement Required", "RFC 3329",
      "The server requires a security mechanism agreement (RFC 3329, sec-agree) before it "
      "accepts requests; the Security-Server header lists the mechanisms it offers.",
      "IMS and VoLTE P-CSCFs that insist on IPsec (ipsec-3gpp) or TLS negotiation at the first "
      "REGISTER, meeting a client that sent no Security-Client header, or a non-IMS client "
      "pointed at an IMS core.",
      NULL, false },

    /* 5xx server failure */
    { 500, "Server Internal Error", "RFC 3261 §21.5.1",
      "The server met an unexpected condition and could not complete the request. Retry-After "
      "may say when to try again.",
      "Software faults, database or back-end errors in an application server or PBX. It is also "
      "the standard way for a proxy to pass on a downstream 503: a proxy left with only a 503 "
      "sends 500 upstream (RFC 3261 §16.7), so a 500 can hide an overloaded element further "
      "along. A UA also answers 500, with Retry-After, to a second INVITE in a dialog while its "
      "first is still pending (§14.2), and rejects an in-dialog request whose CSeq went "
      "backwards with 500 (§12.2.2).",
      "A UA that receives a 5xx it does not recognise treats it as 500 (RFC 3261 §8.1.3.2).",
      false },
    { 501, "Not Implemented", "RFC 3261 §21.5.2",
      "The server does not implement the method at all, for any address (compare 405: known but "
      "not allowed here).",
      "Older devices or gateways receiving UPDATE, PRACK, REFER, INFO, MESSAGE, PUBLISH or "
      "SUBSCRIBE. The Allow header of an OPTIONS answer shows what the peer implements.",
      NULL, false },
    { 502, "Bad Gateway", "RFC 3261 §21.5.3",
      "An element acting as gateway or proxy got an invalid response from the server it "
      "contacted for this request.",
      "A downstream element returning a malformed response, a next-hop domain that does not "
      "resolve (some proxies and SBCs report DNS failures as 502), or a gateway mapping a "
      "network failure towards the callee, such as Q.850 cause 27 (destination out of order), "
      "to 502.",
      NULL, false },
    { 503, "Service Unavailable", "RFC 3261 §21.5.4",
      "The server cannot handle the request for now, because of overload or maintenance. With "
      "Retry-After it says how long clients should stay away; without it, a client may try "
      "another server at once.",
      "An overloaded or rate-limiting proxy, PBX or SBC (calls per second, licence or "
      "concurrent-call limits, CPU), an element in maintenance or shutting down, a carrier "
      "without a route or capacity for the destination (gateways map Q.850 causes 34, 38, 41, "
      "42 and 47 to 503), and next hops that cannot be reached at all: RFC 3261 §8.1.3.1 and "
      "§16.9 treat a transport error like a received 503, and many proxies then answer 503 "
      "themselves. With Retry-After, compliant clients stop using that server for the "
      "interval; load tests hit that wall first.",
      "A proxy should not forward a 503 unless every request it handles would fail the same way; "
      "with only a 503 in hand it sends 500 upstream instead (RFC 3261 §16.7). A client that gets "
      "a 503 moves on to the next server from DNS (RFC 3263).",
      false },
    { 504, "Server Time-out", "RFC 3261 §21.5.5",
      "The server did not get a timely answer from another server it needed, such as the next "
      "hop or a DNS or location service.",
      "A next-hop proxy or gateway that never responded (the element's own transaction timer "
      "expired and it reports 504 rather than 408), a slow ENUM, DNS or database lookup, or an "
      "unreachable destination in another network. Many SBCs and hosted platforms answer 504 "
      "when the far end did not respond to the INVITE at all.",
      NULL, false },
    { 505, "Version Not Supported", "RFC 3261 §21.5.6",
      "The SIP version in the request line is one this server does not speak.",
      "Nearly always a corrupted or non-SIP request (a scanner, a mangled start line, something "
      "other than SIP/2.0) rather than a real version mismatch.",
      NULL, false },
    { 513, "Message Too Large", "RFC 3261 §21.5.7",
      "The message is longer than the server is able to process.",
      "Large INVITEs (long SDP with video and ICE candidates, many Via and Record-Route headers, "
      "multipart bodies) sent over UDP and fragmented, or beyond an SBC's buffer. RFC 3261 "
      "§18.1.1 asks senders to use a congestion-controlled transport such as TCP for requests "
      "near the path MTU; many do not.",
      NULL, false },
    { 555, "Push Notification Service Not Supported", "RFC 8599",
      "The request named a push notification service (pn-provider URI parameter, RFC 8599) that "
      "the proxy does not support.",
      "Mobile SIP apps registering with push parameters for a provider the SIP server or its "
      "push gateway is not set up for. The app then cannot be woken for incoming calls.",
      NULL, false },
    { 580, "Precondition Failure", "RFC 3312",
      "The server cannot or will not meet the preconditions of the offer (RFC 3312), typically "
      "reserving network resources for the media.",
      "IMS and VoLTE calls where the network could not reserve bearer resources, or a mandatory "
      "precondition the far end cannot honour. The call fails before the callee is alerted.",
      NULL, false },

    /* 6xx global failure */
    { 600, "Busy Everywhere", "RFC 3261 §21.6.1",
      "The callee was reached and is busy, and the server knows that no other destination "
      "(voicemail, other devices) will take the call.",
      "Services that know the user's whole state, such as a hosted PBX where every device is "
      "busy and there is no voicemail. Many systems send 486 instead.",
      "A forking proxy that receives a 6xx cancels its other pending branches and prefers the "
      "6xx when choosing what to send upstream (RFC 3261 §16.7).",
      false },
    { 603, "Decline", "RFC 3261 §21.6.2",
      "The callee was reached and explicitly does not want to take the call. Retry-After may "
      "suggest a better time.",
      "A user pressing reject on a phone or softphone, call screening and block lists, "
      "do-not-disturb on systems that answer 603, or a mobile network reporting that the callee "
      "rejected the call.",
      "As a 6xx it stops the search: a forking proxy cancels its other branches (RFC 3261 "
      "§16.7).",
      false },
    { 604, "Does Not Exist Anywhere", "RFC 3261 §21.6.3",
      "The server knows with authority that the user exists nowhere (compare 404: not here).",
      "Number-portability or central directory lookups that find the number unassigned; some "
      "carriers use it for number ranges that were never allocated. Unlike 404, no other route "
      "should be tried.",
      "As a 6xx it stops the search: a forking proxy cancels its other branches (RFC 3261 "
      "§16.7).",
      false },
    { 606, "Not Acceptable", "RFC 3261 §21.6.4",
      "The callee was reached but accepts no part of the session described (media, bandwidth, "
      "addressing) on any of its devices; a Warning header may say why.",
      "The same media mismatches as 488 (codecs, SRTP against RTP, T.38) from an endpoint or "
      "service that treats them as final, for example an audio call to a video-only service.",
      "Like 488, a 606 to a re-INVITE refuses only the change. As a 6xx it also makes a forking "
      "proxy cancel its other branches.",
      false },
    { 607, "Unwanted", "RFC 8197",
      "The called party marks the call as unwanted (spam, robocall). Networks may feed this "
      "signal into call analytics.",
      "A user pressing a report-spam or block key, or a phone or app with a spam filter. "
      "Carriers count 607s per calling number to score callers.",
      NULL, false },
    { 608, "Rejected", "RFC 8688",
      "An intermediary, not the called user, rejected the call, typically a call-analytics or "
      "robocall-blocking service. It may carry a Call-Info header with a jCard so that the "
      "caller can contact the operator about the block.",
      "Network analytics acting on poor attestation, reputation or calling patterns, or an "
      "enterprise gateway policy. Unlike 603 and 607, no person made the decision.",
      NULL, false },
};

const size_t codes_ntab = sizeof(codes_tab) / sizeof(codes_tab[0]);
