/* fuzz_csv.c — fuzz target: the CSV/TSV reader of target lists.
 *
 * The first input byte picks the reader options (bit 0: tab-separated;
 * bits 1-2: encoding auto / UTF-8 / CP932; bit 3: tiny field and row limits,
 * so the over-long paths run too); the rest is the file, fed through an
 * in-memory file.  Every row is read, every diagnostic formatted, and then
 * the reader's promise is checked: seeking back to a row seen earlier reads
 * the same row again (same number, same fields).  Corpus: tests/fuzz/csv/.
 */
#include "fuzz.h"

#include <string.h>

#define KEEP 8

typedef struct {
  uint64_t offset, number, line;
  size_t nfields;
  uint32_t hash;
  bool rejected;
} seen_row;

static uint32_t row_hash(const tg_row *r) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < r->nfields; i++) {
    for (size_t k = 0; k < r->lengths[i]; k++) h = (h ^ (uint8_t)r->fields[i][k]) * 16777619u;
    h = (h ^ 0xFFu) * 16777619u;
  }
  return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static fuzz_memfile mf;
  uint8_t flags = data[0];
  const char *path = fuzz_memfile_put(&mf, data + 1, size - 1);
  static const tg_encoding ENC[4] = {TG_ENC_AUTO, TG_ENC_UTF8, TG_ENC_CP932, TG_ENC_AUTO};
  tg_targets_options opt = {
      .encoding = ENC[(flags >> 1) & 3],
      .delimiter = (flags & 1) ? '\t' : ',',
      .max_field_bytes = (flags & 8) ? 16 : 0,
      .max_row_bytes = (flags & 8) ? 64 : 0,
  };
  tg_diag *d = tg_diag_new();
  tg_diag_set_repeat_limit(d, 4);
  tg_targets *t = tg_targets_open(path, &opt, d);
  if (t) {
    for (size_t i = 0; i < tg_targets_get_column_count(t); i++)
      (void)tg_targets_find_column(t, tg_targets_get_column_name(t, i));
    seen_row seen[KEEP];
    size_t nseen = 0;
    tg_row row;
    int st;
    uint64_t rows = 0;
    while ((st = tg_targets_next(t, &row, d)) == 1 && rows++ < 100000) {
      if (nseen < KEEP)
        seen[nseen++] = (seen_row){row.offset, row.number, row.line, row.nfields, row_hash(&row),
                                   row.rejected};
      fuzz_format_diags(d);
    }
    /* coming back to a row gives the same row */
    for (size_t i = nseen; i-- > 0;) {
      if (!tg_targets_seek(t, seen[i].offset, seen[i].number, seen[i].line, d)) continue;
      if (tg_targets_next(t, &row, d) != 1 || row.number != seen[i].number ||
          row.nfields != seen[i].nfields || row.rejected != seen[i].rejected ||
          row_hash(&row) != seen[i].hash) {
        fprintf(stderr, "seek to row %llu did not read the same row again\n",
                (unsigned long long)seen[i].number);
        abort();
      }
    }
    tg_targets_free(t);
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  return 0;
}
