/* report: writers that turn what sipsleuth found into text, JSON, CSV and HTML.
 *
 * This header starts with the input summary (what was read, what was skipped and why) that
 * every command prints. Writers only format: they never decide anything about the trace, and
 * every byte taken from a trace goes through the escaper of the output format (base/buf.h). */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <stdbool.h>

#include "base/buf.h"
#include "ingest/ingest.h"

/* Human-readable summary of the inputs and counters (for stderr or the head of a report):
 * files with format, size, frames and where damage stopped them; frames and SIP messages;
 * non-zero counters with their descriptions; malformed messages by reason; anomalies. */
void report_inputs_text(struct buf *b, const struct ingest_run *run);

/* The same as one JSON object (no trailing newline): {"inputs":[...],"counters":{...},
 * "malformed":{...},"anomalies":{...},"time_span":{...}}. Only non-zero counters appear. */
void report_inputs_json(struct buf *b, const struct ingest_run *run);

/* True when no input yielded anything: each failed to open, or stopped on damage before its
 * first frame. Commands exit with status 3 then. */
bool report_nothing_read(const struct ingest_run *run);

/* True when at least one input could not be read at all (opened=false or damage before any
 * frame). */
bool report_some_unreadable(const struct ingest_run *run);

#endif
