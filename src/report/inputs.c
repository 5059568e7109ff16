/* Input summary writers: what was read, how far, and every counter that is not zero. */
#include "report/report.h"

#include "base/timefmt.h"

static bool unreadable(const struct ingest_input *in)
{
    return !in->opened || (in->frames == 0 && in->damage.stopped);
}

bool report_nothing_read(const struct ingest_run *run)
{
    for (int i = 0; i < run->ninputs; i++)
        if (!unreadable(&run->inputs[i]))
            return false;
    return true;
}

bool report_some_unreadable(const struct ingest_run *run)
{
    for (int i = 0; i < run->ninputs; i++)
        if (unreadable(&run->inputs[i]))
            return true;
    return false;
}

static void text_input(struct buf *b, const struct ingest_input *in)
{
    buf_puts(b, "  ");
    buf_text_safe(b, sv_cstr(in->path));
    if (!in->opened) {
        buf_puts(b, ": not read: ");
        buf_text_safe(b, sv_cstr(in->error));
        buf_putc(b, '\n');
        return;
    }
    buf_printf(b, ": %s, %llu frames", cap_format_name(in->format),
               (unsigned long long)in->frames);
    if (in->size)
        buf_printf(b, ", %llu bytes", (unsigned long long)in->size);
    buf_putc(b, '\n');
    if (in->damage.stopped) {
        buf_printf(b, "    stopped at byte %llu after %llu frames: ",
                   (unsigned long long)in->damage.offset, (unsigned long long)in->damage.frame);
        buf_text_safe(b, sv_cstr(in->damage.what));
        buf_puts(b, "\n    (everything before that point was read)\n");
    }
}

void report_inputs_text(struct buf *b, const struct ingest_run *run)
{
    buf_puts(b, "Inputs:\n");
    for (int i = 0; i < run->ninputs; i++)
        text_input(b, &run->inputs[i]);
    if (run->has_time) {
        buf_puts(b, "Time span: ");
        buf_time_iso(b, run->first_ts, 6);
        buf_puts(b, " .. ");
        buf_time_iso(b, run->last_ts, 6);
        if (run->no_date)
            buf_puts(b, "\n  (a log gave times without a date or year: their date is an anchor, "
                        "1970 unless the log named a day; times are as the log wrote them)");
        buf_putc(b, '\n');
    } else if (run->ing.n[INGEST_STAT_SIP_MESSAGES]) {
        buf_puts(b, "Time span: unknown (the input has no timestamps; messages are in order)\n");
    }
    buf_puts(b, "Counters:\n");
    for (int s = 0; s < CAP_STAT__COUNT; s++)
        if (run->cap.n[s])
            buf_printf(b, "  %-34s %12llu  %s\n", cap_stat_name(s),
                       (unsigned long long)run->cap.n[s], cap_stat_desc(s));
    for (int s = 0; s < INGEST_STAT__COUNT; s++)
        if (run->ing.n[s] || s == INGEST_STAT_SIP_MESSAGES)
            buf_printf(b, "  %-34s %12llu  %s\n", ingest_stat_name(s),
                       (unsigned long long)run->ing.n[s], ingest_stat_desc(s));
    for (int r = 1; r < SIP_MAL__COUNT; r++)
        if (run->ing.malformed[r])
            buf_printf(b, "  malformed.%-24s %12llu  %s\n", sip_malformed_name(r),
                       (unsigned long long)run->ing.malformed[r], sip_malformed_desc(r));
    for (int a = 0; a < SIP_ANOM__COUNT; a++)
        if (run->ing.anomalies[a])
            buf_printf(b, "  anomaly.%-26s %12llu  %s\n", sip_anomaly_name(a),
                       (unsigned long long)run->ing.anomalies[a], sip_anomaly_desc(a));
}

static void json_input(struct buf *b, const struct ingest_input *in)
{
    buf_puts(b, "{\"path\":");
    buf_json_str(b, sv_cstr(in->path));
    if (!in->opened) {
        buf_puts(b, ",\"read\":false,\"error\":");
        buf_json_str(b, sv_cstr(in->error));
        buf_putc(b, '}');
        return;
    }
    buf_printf(b, ",\"read\":true,\"format\":\"%s\",\"frames\":%llu,\"size\":%llu",
               cap_format_name(in->format), (unsigned long long)in->frames,
               (unsigned long long)in->size);
    if (in->damage.stopped) {
        buf_printf(b, ",\"stopped\":{\"offset\":%llu,\"after_frames\":%llu,\"reason\":",
                   (unsigned long long)in->damage.offset, (unsigned long long)in->damage.frame);
        buf_json_str(b, sv_cstr(in->damage.what));
        buf_putc(b, '}');
    } else {
        buf_puts(b, ",\"stopped\":null");
    }
    buf_putc(b, '}');
}

static void json_counter(struct buf *b, bool *first, const char *prefix, const char *name,
                         unsigned long long v)
{
    buf_puts(b, *first ? "" : ",");
    *first = false;
    buf_printf(b, "\"%s%s\":%llu", prefix, name, v);
}

void report_inputs_json(struct buf *b, const struct ingest_run *run)
{
    buf_puts(b, "{\"inputs\":[");
    for (int i = 0; i < run->ninputs; i++) {
        if (i)
            buf_putc(b, ',');
        json_input(b, &run->inputs[i]);
    }
    buf_puts(b, "],\"time_span\":");
    if (run->has_time) {
        buf_puts(b, "{\"first\":\"");
        buf_time_iso(b, run->first_ts, 9);
        buf_puts(b, "\",\"last\":\"");
        buf_time_iso(b, run->last_ts, 9);
        buf_puts(b, run->no_date ? "\",\"date_anchored\":true}" : "\"}");
    } else {
        buf_puts(b, "null");
    }
    bool first = true;
    buf_puts(b, ",\"counters\":{");
    for (int s = 0; s < CAP_STAT__COUNT; s++)
        if (run->cap.n[s])
            json_counter(b, &first, "", cap_stat_name(s), run->cap.n[s]);
    for (int s = 0; s < INGEST_STAT__COUNT; s++)
        if (run->ing.n[s] || s == INGEST_STAT_SIP_MESSAGES)
            json_counter(b, &first, "", ingest_stat_name(s), run->ing.n[s]);
    first = true;
    buf_puts(b, "},\"malformed\":{");
    for (int r = 1; r < SIP_MAL__COUNT; r++)
        if (run->ing.malformed[r])
            json_counter(b, &first, "", sip_malformed_name(r), run->ing.malformed[r]);
    first = true;
    buf_puts(b, "},\"anomalies\":{");
    for (int a = 0; a < SIP_ANOM__COUNT; a++)
        if (run->ing.anomalies[a])
            json_counter(b, &first, "", sip_anomaly_name(a), run->ing.anomalies[a]);
    buf_puts(b, "}}");
}
