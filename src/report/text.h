/* Plain-text layout helpers for the reference texts and reports: word wrapping to a terminal
 * width. Only for our own texts; bytes taken from a trace go through buf_text_safe first. */
#ifndef REPORT_TEXT_H
#define REPORT_TEXT_H

#include "base/buf.h"

/* Write text word-wrapped so that no line passes width columns (a word longer than a line
 * gets a line of its own). The cursor is at column col when called: the first line continues
 * there (padded to indent if col < indent); every further line starts with indent spaces.
 * A '\n' in text starts a new line; an empty line in text stays empty. Ends with a newline.
 * Columns count UTF-8 characters, not bytes, so "§" is one column. */
void report_wrap(struct buf *b, const char *text, int col, int indent, int width);

#endif
