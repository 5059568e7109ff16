/* Formatting capture timestamps. Times are nanoseconds since the Unix epoch, UTC, as read from
 * the capture; nothing here looks at the wall clock. */
#ifndef BASE_TIMEFMT_H
#define BASE_TIMEFMT_H

#include <stdint.h>

#include "base/buf.h"

/* "2009-03-17T15:23:47.123456789Z" with the given number of fraction digits (0..9). */
void buf_time_iso(struct buf *b, int64_t ts_ns, int digits);

/* "15:23:47.123456" (time of day, UTC, microseconds). */
void buf_time_of_day(struct buf *b, int64_t ts_ns);

#endif
