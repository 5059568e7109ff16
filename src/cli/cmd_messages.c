/* sipsleuth messages: one line (or one JSON object) per SIP message, then a summary of what was
 * read and skipped. The listing is what a capture shows, message by message; no transaction or
 * call logic here. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/timefmt.h"
#include "cli/cli.h"
#include "ingest/ingest.h"
#include "report/report.h"

static const char messages_usage[] =
    "usage: sipsleuth messages [--format text|json] FILE...\n"
    "\n"
    "One line per SIP message: frame number, capture time (UTC), source -> destination,\n"
    "transport, start line, Call-ID, CSeq, and the reason when the message breaks RFC 3261\n"
    "syntax. A summary of what was read and skipped follows on standard error.\n"
    "\n"
    "  -f, --format text|json   json: one object per line (\"type\":\"message\"), then one\n"
    "                           \"type\":\"summary\" object; see docs/messages-json.md\n"
    "      --no-mmap            read files with read(2) instead of mapping them\n"
    "  -h, --help               this text\n";

struct messages_ctx {
    struct buf out;
    bool json;
    bool multi; /* several inputs: show the input number with the frame */
};

enum { TEXT_START_LINE_MAX = 160 };

static sv_t start_line(const struct sip_msg *m)
{
    size_t n = sv_chr(m->raw, '\n');
    return sv_trim(sv_make(m->raw.p, n));
}

static void put_addr(struct buf *b, const struct cap_addr *a)
{
    char tmp[CAP_ADDR_STRLEN];
    size_t n = cap_addr_str(a, tmp, sizeof(tmp));
    buf_put(b, tmp, n);
}

/* CSeq as "number METHOD" when it parses, else the raw value. Returns false if absent. */
static bool cseq_text(const struct sip_msg *m, struct sip_cseq *c, sv_t *raw)
{
    *raw = sip_hdr_value(m, SIP_HDR_CSEQ);
    if (!raw->p)
        return false;
    if (sip_cseq_parse(*raw, c) != 0)
        c->method = SV_NULL;
    return true;
}

static void text_line(struct messages_ctx *c, const struct ingest_msg *im)
{
    struct buf *b = &c->out;
    const struct sip_msg *m = im->sip;
    if (c->multi) {
        buf_u64(b, im->file_index + 1);
        buf_putc(b, ':');
    }
    buf_u64_pad(b, im->frame, 6, ' ');
    buf_puts(b, "  ");
    if (im->flags & CAP_F_NO_TIME)
        buf_puts(b, "--:--:--.------");
    else
        buf_time_of_day(b, im->ts_ns);
    buf_puts(b, "  ");
    if (im->flags & CAP_F_NO_ADDR) {
        buf_puts(b, "? -> ?");
    } else {
        put_addr(b, &im->src);
        buf_puts(b, " -> ");
        put_addr(b, &im->dst);
    }
    buf_puts(b, "  ");
    buf_puts(b, cap_transport_name(im->transport));
    buf_puts(b, "  ");
    sv_t sl = start_line(m);
    if (sl.len > TEXT_START_LINE_MAX) {
        buf_text_safe(b, sv_make(sl.p, TEXT_START_LINE_MAX));
        buf_puts(b, "...");
    } else {
        buf_text_safe(b, sl);
    }
    buf_puts(b, " | ");
    buf_text_safe(b, sip_call_id(m));
    buf_puts(b, " | ");
    struct sip_cseq cs;
    sv_t raw;
    if (cseq_text(m, &cs, &raw)) {
        if (cs.method.p) {
            buf_u64(b, cs.num);
            buf_putc(b, ' ');
            buf_text_safe(b, cs.method);
        } else {
            buf_text_safe(b, raw);
        }
    }
    if (m->malformed) {
        buf_puts(b, " | malformed: ");
        buf_puts(b, sip_malformed_name(m->malformed));
    }
    buf_putc(b, '\n');
}

static void json_str_or_null(struct buf *b, sv_t v)
{
    if (v.p)
        buf_json_str(b, v);
    else
        buf_puts(b, "null");
}

static void json_addr(struct buf *b, const struct ingest_msg *im, const struct cap_addr *a)
{
    if (im->flags & CAP_F_NO_ADDR) {
        buf_puts(b, "null");
        return;
    }
    buf_putc(b, '"');
    put_addr(b, a);
    buf_putc(b, '"');
}

static void json_anomalies(struct buf *b, uint32_t bits)
{
    buf_puts(b, ",\"anomalies\":[");
    bool first = true;
    for (int a = 0; a < SIP_ANOM__COUNT; a++) {
        if (!(bits & SIP_ANOM_BIT(a)))
            continue;
        buf_printf(b, "%s\"%s\"", first ? "" : ",", sip_anomaly_name(a));
        first = false;
    }
    buf_putc(b, ']');
}

static void json_start(struct buf *b, const struct sip_msg *m)
{
    if (m->is_request) {
        buf_puts(b, ",\"method\":");
        buf_json_str(b, m->method);
        buf_puts(b, ",\"ruri\":");
        buf_json_str(b, m->ruri);
        buf_puts(b, ",\"status\":null,\"reason\":null");
    } else {
        buf_puts(b, ",\"method\":null,\"ruri\":null,\"status\":");
        if (m->status)
            buf_u64(b, m->status);
        else
            buf_puts(b, "null");
        buf_puts(b, ",\"reason\":");
        buf_json_str(b, m->reason);
    }
}

static void json_line(struct messages_ctx *c, const struct ingest_msg *im)
{
    struct buf *b = &c->out;
    const struct sip_msg *m = im->sip;
    buf_puts(b, "{\"type\":\"message\",\"file\":");
    buf_u64(b, im->file_index);
    buf_puts(b, ",\"frame\":");
    buf_u64(b, im->frame);
    if (im->frame_first != im->frame) {
        buf_puts(b, ",\"frame_first\":");
        buf_u64(b, im->frame_first);
    }
    buf_puts(b, ",\"time\":");
    if (im->flags & CAP_F_NO_TIME) {
        buf_puts(b, "null");
    } else {
        buf_putc(b, '"');
        buf_time_iso(b, im->ts_ns, 9);
        buf_putc(b, '"');
    }
    buf_puts(b, ",\"src\":");
    json_addr(b, im, &im->src);
    buf_puts(b, ",\"dst\":");
    json_addr(b, im, &im->dst);
    buf_puts(b, ",\"transport\":\"");
    buf_puts(b, cap_transport_name(im->transport));
    buf_putc(b, '"');
    json_start(b, m);
    buf_puts(b, ",\"call_id\":");
    json_str_or_null(b, sip_call_id(m));
    buf_puts(b, ",\"cseq\":");
    struct sip_cseq cs;
    sv_t raw;
    if (!cseq_text(m, &cs, &raw))
        buf_puts(b, "null");
    else if (cs.method.p) {
        buf_putc(b, '"');
        buf_u64(b, cs.num);
        buf_putc(b, ' ');
        buf_json_chars(b, cs.method);
        buf_putc(b, '"');
    } else {
        buf_json_str(b, raw);
    }
    buf_puts(b, ",\"length\":");
    buf_u64(b, m->raw.len);
    buf_puts(b, ",\"malformed\":");
    if (m->malformed)
        buf_printf(b, "\"%s\"", sip_malformed_name(m->malformed));
    else
        buf_puts(b, "null");
    json_anomalies(b, m->anomalies);
    if (im->flags & CAP_F_HEP) {
        buf_printf(b, ",\"hep\":{\"capture_id\":%u,\"node\":", im->payload->hep_capture_id);
        json_str_or_null(b, im->payload->hep_node);
        buf_putc(b, '}');
    }
    buf_puts(b, "}\n");
}

static void on_message(void *ctx, const struct ingest_msg *im)
{
    struct messages_ctx *c = ctx;
    if (c->json)
        json_line(c, im);
    else
        text_line(c, im);
    buf_flush_if(&c->out);
}

void cli_report_input_errors(const struct ingest_run *run)
{
    for (int i = 0; i < run->ninputs; i++) {
        const struct ingest_input *in = &run->inputs[i];
        if (!in->opened)
            fprintf(stderr, "sipsleuth: %s\n", in->error);
        else if (in->damage.stopped)
            fprintf(stderr, "sipsleuth: %s: stopped at byte %llu after %llu frames: %s\n",
                    in->path, (unsigned long long)in->damage.offset,
                    (unsigned long long)in->damage.frame, in->damage.what);
    }
}

int cmd_messages(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "no-mmap", no_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *const formats[] = { "text", "json", "ndjson", NULL };
    struct messages_ctx c = { 0 };
    struct ingest_run_opts ro = { .ingest.validate = true };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f': {
            int f = cli_choice("--format", optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            c.json = f > 0;
            break;
        }
        case 'M':
            ro.no_mmap = true;
            break;
        case 'h':
            fputs(messages_usage, stdout);
            return EXIT_OK;
        default:
            fputs(messages_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("messages: no input file (use '-' for standard input)");
        fputs(messages_usage, stderr);
        return EXIT_USAGE;
    }
    buf_init(&c.out, stdout);
    c.multi = argc - optind > 1;
    struct ingest_run run;
    ingest_run_files((const char *const *)argv + optind, argc - optind, &ro, on_message, &c, &run);
    cli_report_input_errors(&run);

    if (c.json) {
        buf_puts(&c.out, "{\"type\":\"summary\",\"summary\":");
        report_inputs_json(&c.out, &run);
        buf_puts(&c.out, "}\n");
        buf_flush(&c.out);
    } else {
        buf_flush(&c.out);
        struct buf e;
        buf_init(&e, stderr);
        report_inputs_text(&e, &run);
        buf_flush(&e);
        buf_free(&e);
    }
    int rc = report_some_unreadable(&run) ? EXIT_UNREADABLE : EXIT_OK;
    if (c.out.write_error) {
        cli_error("error writing output");
        rc = EXIT_UNREADABLE;
    }
    buf_free(&c.out);
    ingest_run_free(&run);
    fflush(stdout);
    return rc;
}
