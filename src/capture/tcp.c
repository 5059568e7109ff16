/* TCP segments: for now only counted.
 *
 * This is the seam where TCP stream reassembly goes: cap_tcp_segment receives every decoded
 * segment with all a reassembler needs (struct tcp_seg_info), cap_tcp_init/cap_tcp_finish
 * bracket the decoder's life, and d->tcp is free for the reassembler's state. Until then each
 * segment is counted and its payload bytes are counted as not reassembled, so no byte goes
 * unaccounted. Nothing is pushed to the sink. */
#include "capture/capture.h"
#include "capture/capture_int.h"

void cap_tcp_init(struct cap_decoder *d)
{
    d->tcp = NULL;
}

void cap_tcp_segment(struct cap_decoder *d, const struct tcp_seg_info *seg)
{
    cap_count(d, CAP_STAT_TCP);
    cap_count_n(d, CAP_STAT_TCP_BYTES_NOT_REASSEMBLED, seg->len);
}

void cap_tcp_finish(struct cap_decoder *d)
{
    (void)d;
}
