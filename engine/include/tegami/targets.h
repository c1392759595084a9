/* tegami/targets.h — target lists: CSV files of people, read as a stream.
 *
 * A list is opened (its header row is read and checked), then rows are pulled
 * one at a time with tg_targets_next(); memory does not grow with the list.
 * Each row knows its byte offset, so a later pass can come back to it with
 * tg_targets_seek() (sorting and batching keep offsets, not rows).
 *
 * Row numbers are spreadsheet row numbers: the header is row 1, the first
 * person is row 2, which is what municipal staff see when they open the file.
 * Problems are reported with file, row and column header — never the value.
 */
#ifndef TEGAMI_TARGETS_H
#define TEGAMI_TARGETS_H

#include <stdio.h>

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TG_ENC_AUTO, TG_ENC_UTF8, TG_ENC_CP932 } tg_encoding;

typedef struct tg_targets_options {
  tg_encoding encoding; /* AUTO: detect */
  char delimiter;       /* 0: by extension (.tsv → tab), else ',' */
  size_t max_field_bytes; /* 0: 64 KiB */
  size_t max_row_bytes;   /* 0: 1 MiB */
} tg_targets_options;

typedef struct tg_row {
  uint64_t number; /* spreadsheet row number (header = 1) */
  uint64_t line;   /* physical line where the row starts */
  uint64_t offset; /* byte offset of the row start */
  size_t nfields;
  const char *const *fields; /* UTF-8, NUL-terminated; valid until the next call */
  const size_t *lengths;
  bool rejected;           /* the row could not be read faithfully */
  const char *reject_code; /* e.g. "data.field-count" (reported to the diag) */
  const char *reject_column; /* column header concerned, or NULL */
} tg_row;

typedef struct tg_targets tg_targets;

/* Open a list and read its header.  NULL (with diagnostics) when the file
 * cannot be read or its header is unusable (empty, duplicate names). */
tg_targets *tg_targets_open(const char *path, const tg_targets_options *opt, tg_diag *d);
const char *tg_targets_get_path(const tg_targets *t);
/* Empty lines (and rows of empty fields) skipped so far: not people. */
uint64_t tg_targets_get_blank_count(const tg_targets *t);
tg_encoding tg_targets_get_encoding(const tg_targets *t);
size_t tg_targets_get_column_count(const tg_targets *t);
const char *tg_targets_get_column_name(const tg_targets *t, size_t i);
/* Index of a column by its exact header text, or -1. */
int tg_targets_find_column(const tg_targets *t, const char *name);
/* All column names (borrowed array of tg_targets_get_column_count() entries). */
const char *const *tg_targets_get_column_names(const tg_targets *t);

/* Next row: 1 with a row, 0 at the end, -1 on an I/O error (reported).  Rows
 * that cannot be read faithfully come back with rejected = true and a
 * diagnostic; the caller counts them as rejected. */
int tg_targets_next(tg_targets *t, tg_row *row, tg_diag *d);
/* Go back to a row seen earlier (offset/number/line from its tg_row). */
bool tg_targets_seek(tg_targets *t, uint64_t offset, uint64_t number, uint64_t line, tg_diag *d);
void tg_targets_free(tg_targets *t);

const char *tg_encoding_name(tg_encoding e);

#ifdef __cplusplus
}
#endif
#endif
