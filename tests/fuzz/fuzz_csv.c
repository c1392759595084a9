/* fuzz_csv.c — fuzz target: the CSV/TSV reader of target lists.
 *
 * The first input byte picks the reader options (bit 0: tab-separated;
 * bits 1-2: encoding auto / UTF-8 / CP932; bit 3: tiny field and row limits,
 * so the over-long paths run too; bits 6-7: the read buffer, 256 KiB as in
 * a run or 512, 1024 or 2048 bytes, so that rows of a small input straddle
 * a buffer refill and the encoding sample ends before the file does; bits 4
 * and 5 both set: the body is repeated past three buffers, or to 64 KiB
 * with the 256 KiB buffer — thousands of rows, where work that grows
 * faster than the list shows; not to 300 KiB, as it once was: '0' (0x30)
 * is a common first byte, and a quarter of the inputs took seconds each
 * under the sanitizers); the rest is the file, fed through an in-memory
 * file.  Every row is read, every diagnostic
 * formatted, and then the reader's promises are checked: every line of the
 * file, counted apart from the parser, is a header line, a row, a blank line
 * or a line break inside a field (no row lost unseen); and seeking back to a
 * row seen earlier — the first rows, rows straddling a buffer refill, the
 * last rows — reads the same row again (same number, same fields).
 * Corpus: tests/fuzz/csv/.
 */
#include "fuzz.h"

#include <glib.h>
#include <string.h>

#define FIRST    4            /* the first rows */
#define STRADDLE 4            /* rows crossing a multiple of the buffer size */
#define LAST     4            /* the last rows (ring) */
#define BUFFER   (256 * 1024) /* the reader's buffer in a run */
#define BIG      (64 * 1024)

typedef struct {
  uint64_t offset, number, line;
  size_t nfields;
  uint32_t hash;
  bool rejected;
} seen_row;

static uint32_t row_hash(const tg_row *r) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < r->nfields; i++) {
    for (size_t k = 0; k < r->lengths[i]; k++)
      h = (h ^ (uint8_t)r->fields[i][k]) * 16777619u;
    h = (h ^ 0xFFu) * 16777619u;
  }
  return h;
}

static void keep(seen_row *v, size_t *n, const tg_row *r) {
  v[(*n)++] = (seen_row){r->offset, r->number, r->line, r->nfields, row_hash(r), r->rejected};
}

static void check_again(tg_targets *t, const seen_row *s, tg_diag *d) {
  tg_row row;
  if (!tg_targets_seek(t, s->offset, s->number, s->line, d)) return;
  if (tg_targets_next(t, &row, d) != 1 || row.number != s->number || row.nfields != s->nfields ||
      row.rejected != s->rejected || row_hash(&row) != s->hash) {
    fprintf(stderr, "seek to row %llu did not read the same row again\n",
            (unsigned long long)s->number);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static fuzz_memfile mf;
  uint8_t flags = data[0];
  const char *path;
  size_t buffer = (flags >> 6) ? (size_t)256 << (flags >> 6) : BUFFER;
  if ((flags & 0x30) == 0x30 && size > 1) {
    size_t want = buffer == BUFFER ? BIG : 3 * buffer + 1;
    GByteArray *big = g_byte_array_sized_new((guint)(want + size));
    while (big->len < want)
      g_byte_array_append(big, data + 1, (guint)(size - 1));
    path = fuzz_memfile_put(&mf, big->data, big->len);
    g_byte_array_free(big, TRUE);
  } else {
    path = fuzz_memfile_put(&mf, data + 1, size - 1);
  }
  static const tg_encoding ENC[4] = {TG_ENC_AUTO, TG_ENC_UTF8, TG_ENC_CP932, TG_ENC_AUTO};
  tg_targets_options opt = {
      .encoding = ENC[(flags >> 1) & 3],
      .delimiter = (flags & 1) ? '\t' : ',',
      .max_field_bytes = (flags & 8) ? 16 : 0,
      .max_row_bytes = (flags & 8) ? 64 : 0,
      .buffer_bytes = buffer,
  };
  tg_diag *d = tg_diag_new();
  tg_diag_set_repeat_limit(d, 4);
  tg_targets *t = tg_targets_open(path, &opt, d);
  if (t) {
    for (size_t i = 0; i < tg_targets_get_column_count(t) && i < 64; i++)
      (void)tg_targets_find_column(t, tg_targets_get_column_name(t, i));
    seen_row first[FIRST], straddle[STRADDLE], last[LAST], prev = {0};
    size_t nfirst = 0, nstraddle = 0, nlast = 0;
    bool have_prev = false;
    tg_row row;
    uint64_t rows = 0;
    int st;
    while ((st = tg_targets_next(t, &row, d)) == 1 && rows++ < 1000000) {
      if (nfirst < FIRST) keep(first, &nfirst, &row);
      if (have_prev && nstraddle < STRADDLE && prev.offset / buffer != row.offset / buffer)
        straddle[nstraddle++] = prev;
      size_t ring = 0;
      keep(&prev, &ring, &row);
      have_prev = true;
      last[nlast++ % LAST] = prev;
      fuzz_format_diags(d);
    }
    /* every line is accounted for */
    if (st == 0) {
      uint64_t lines = tg_targets_get_line_count(t);
      uint64_t parts = tg_targets_get_header_line_count(t) + rows + tg_targets_get_blank_count(t) +
                       tg_targets_get_field_break_count(t);
      if (lines != parts) {
        fprintf(stderr,
                "the list has %llu lines, its header, rows, blank lines and field breaks %llu\n",
                (unsigned long long)lines, (unsigned long long)parts);
        abort();
      }
    }
    /* coming back to a row gives the same row */
    for (size_t i = 0; i < nlast && i < LAST; i++)
      check_again(t, &last[i], d);
    for (size_t i = 0; i < nstraddle; i++)
      check_again(t, &straddle[i], d);
    for (size_t i = nfirst; i-- > 0;)
      check_again(t, &first[i], d);
    tg_targets_free(t);
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  return 0;
}
