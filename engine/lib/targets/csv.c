/* csv.c — a streaming RFC 4180 reader for target lists.
 *
 * Reads one record at a time through a fixed buffer: quoted fields, doubled
 * quotes, embedded line breaks, CRLF, LF or CR line ends and a UTF-8 BOM.
 * Memory is bounded by the longest row (and that by max_row_bytes), never by
 * the file.  A row that cannot be read faithfully — a field too long, an
 * unterminated quote, bytes that are not valid in the file's encoding, the
 * wrong number of fields — is returned marked rejected with a diagnostic that
 * names the row and column, never the value.
 */
#include "targets/targets_private.h"

#include <errno.h>
#include <string.h>

#define BUF_SIZE (256 * 1024)

struct tg_targets {
  char *path;
  FILE *f;
  tg_targets_options opt;
  tg_encoding enc;
  /* input buffer */
  char *buf;
  size_t pos, len;
  uint64_t buf_offset; /* file offset of buf[0] */
  bool eof;
  uint64_t line;       /* current physical line (1-based) */
  uint64_t number;     /* spreadsheet row number of the last record */
  uint64_t blank;      /* empty records skipped */
  /* header */
  size_t ncols;
  char **cols;
  /* current record */
  GString *rec;        /* fields separated by NUL */
  GArray *starts;      /* size_t offsets into rec */
  GPtrArray *fieldv;   /* const char* into rec (rebuilt per record) */
  GArray *lengths;     /* size_t */
  GString *converted;  /* CP932 → UTF-8 scratch */
};

const char *tg_encoding_name(tg_encoding e) {
  switch (e) {
  case TG_ENC_AUTO: return "auto";
  case TG_ENC_UTF8: return "utf-8";
  case TG_ENC_CP932: return "cp932";
  }
  return "?";
}

static bool fill(tg_targets *t, tg_diag *d) {
  if (t->pos < t->len) return true;
  if (t->eof) return false;
  t->buf_offset += t->len;
  t->pos = 0;
  t->len = fread(t->buf, 1, BUF_SIZE, t->f);
  if (t->len == 0) {
    if (ferror(t->f))
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s: %s", t->path,
                  g_strerror(errno));
    t->eof = true;
    return false;
  }
  return true;
}

/* -1 at end of input */
static inline int getc_buf(tg_targets *t, tg_diag *d) {
  if (t->pos >= t->len && !fill(t, d)) return -1;
  return (unsigned char)t->buf[t->pos++];
}

static inline int peekc_buf(tg_targets *t, tg_diag *d) {
  if (t->pos >= t->len && !fill(t, d)) return -1;
  return (unsigned char)t->buf[t->pos];
}

typedef enum { REC_OK, REC_EOF, REC_TOO_LONG, REC_UNTERMINATED, REC_IO } rec_status;

/* Read one record into t->rec/t->starts.  Returns its status; *too_long_field
 * receives the index of the first field over the limit. */
static rec_status read_record(tg_targets *t, size_t *too_long_field, tg_diag *d) {
  g_string_truncate(t->rec, 0);
  g_array_set_size(t->starts, 0);
  size_t start = 0;
  g_array_append_val(t->starts, start);
  size_t field_len = 0;
  bool quoted = false, after_quote = false, any = false, too_long = false;
  size_t field_index = 0;
  const char delim = t->opt.delimiter;
  for (;;) {
    int c = getc_buf(t, d);
    if (c < 0) {
      if (t->f && ferror(t->f)) return REC_IO;
      if (!any) return REC_EOF;
      if (quoted && !after_quote) return REC_UNTERMINATED;
      break;
    }
    any = true;
    if (quoted && !after_quote) {
      if (c == '"') {
        if (peekc_buf(t, d) == '"') {
          t->pos++;
        } else {
          after_quote = true;
          continue;
        }
      } else if (c == '\r') {
        if (peekc_buf(t, d) == '\n') t->pos++;
        c = '\n';
        t->line++;
      } else if (c == '\n') {
        t->line++;
      }
    } else if (c == delim) {
      g_string_append_c(t->rec, '\0');
      start = t->rec->len;
      g_array_append_val(t->starts, start);
      field_len = 0;
      quoted = after_quote = false;
      field_index++;
      continue;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && peekc_buf(t, d) == '\n') t->pos++;
      t->line++;
      break;
    } else if (c == '"' && field_len == 0 && !after_quote) {
      quoted = true;
      continue;
    } else if (after_quote) {
      /* text after a closing quote: keep it (lenient), the field stays */
    }
    if (++field_len > t->opt.max_field_bytes ||
        t->rec->len >= t->opt.max_row_bytes) {
      if (!too_long) *too_long_field = field_index;
      too_long = true;
      continue; /* drop the rest of the field: memory stays bounded */
    }
    g_string_append_c(t->rec, (char)c);
  }
  return too_long ? REC_TOO_LONG : REC_OK;
}

static void build_fields(tg_targets *t) {
  g_ptr_array_set_size(t->fieldv, 0);
  g_array_set_size(t->lengths, 0);
  for (guint i = 0; i < t->starts->len; i++) {
    size_t s = g_array_index(t->starts, size_t, i);
    size_t e = i + 1 < t->starts->len ? g_array_index(t->starts, size_t, i + 1) - 1 : t->rec->len;
    g_ptr_array_add(t->fieldv, t->rec->str + s);
    size_t l = e - s;
    g_array_append_val(t->lengths, l);
  }
}

static bool record_is_blank(tg_targets *t) {
  for (gsize i = 0; i < t->rec->len; i++)
    if (t->rec->str[i] != '\0' && t->rec->str[i] != ' ') return false;
  return true;
}

const char *tg_targets_get_path(const tg_targets *t) { return t->path; }
uint64_t tg_targets_get_blank_count(const tg_targets *t) { return t->blank; }
tg_encoding tg_targets_get_encoding(const tg_targets *t) { return t->enc; }
size_t tg_targets_get_column_count(const tg_targets *t) { return t->ncols; }
const char *tg_targets_get_column_name(const tg_targets *t, size_t i) {
  return i < t->ncols ? t->cols[i] : NULL;
}
const char *const *tg_targets_get_column_names(const tg_targets *t) {
  return (const char *const *)t->cols;
}
int tg_targets_find_column(const tg_targets *t, const char *name) {
  for (size_t i = 0; i < t->ncols; i++)
    if (strcmp(t->cols[i], name) == 0) return (int)i;
  return -1;
}

/* Check (and for CP932, convert) every field of the current record. Returns
 * false and sets *bad_col and the byte after a problem. */
static bool decode_fields(tg_targets *t, size_t *bad_col, char *what, size_t what_len) {
  for (guint i = 0; i < t->fieldv->len; i++) {
    const char *f = g_ptr_array_index(t->fieldv, i);
    size_t len = g_array_index(t->lengths, size_t, i);
    const char *end;
    if (t->enc == TG_ENC_UTF8 && !g_utf8_validate(f, (gssize)len, &end)) {
      *bad_col = i;
      g_snprintf(what, what_len, "invalid UTF-8 byte 0x%02X at byte %zu of the field",
                 (unsigned char)*end, (size_t)(end - f) + 1);
      return false;
    }
    if (memchr(f, '\0', len)) {
      *bad_col = i;
      g_snprintf(what, what_len, "a NUL byte inside the field");
      return false;
    }
  }
  return true;
}

tg_targets *tg_targets_open(const char *path, const tg_targets_options *opt, tg_diag *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    tg_diag_add(d, TG_ERROR, errno == ENOENT ? TG_KIND_SCHEMA : TG_KIND_SYSTEM,
                errno == ENOENT ? "io.not-found" : "io.open", "cannot open target list %s: %s",
                path, g_strerror(errno));
    return NULL;
  }
  tg_targets *t = g_new0(tg_targets, 1);
  t->path = g_strdup(path);
  t->f = f;
  if (opt) t->opt = *opt;
  if (!t->opt.max_field_bytes) t->opt.max_field_bytes = 64 * 1024;
  if (!t->opt.max_row_bytes) t->opt.max_row_bytes = 1024 * 1024;
  if (!t->opt.delimiter) t->opt.delimiter = g_str_has_suffix(path, ".tsv") ? '\t' : ',';
  t->buf = g_malloc(BUF_SIZE);
  t->rec = g_string_sized_new(1024);
  t->starts = g_array_new(FALSE, FALSE, sizeof(size_t));
  t->fieldv = g_ptr_array_new();
  t->lengths = g_array_new(FALSE, FALSE, sizeof(size_t));
  t->converted = g_string_new(NULL);
  t->line = 1;
  t->enc = t->opt.encoding == TG_ENC_AUTO ? TG_ENC_UTF8 : t->opt.encoding;

  if (fill(t, d) && t->len >= 3 && memcmp(t->buf, "\xEF\xBB\xBF", 3) == 0) {
    t->pos = 3;
    t->enc = TG_ENC_UTF8;
  }
  if (t->enc == TG_ENC_CP932) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "targets.encoding",
                "%s: encoding cp932 is not supported by this build", path);
    tg_targets_free(t);
    return NULL;
  }
  size_t too_long = 0;
  rec_status st = read_record(t, &too_long, d);
  if (st == REC_EOF || st == REC_IO) {
    if (st == REC_EOF)
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.empty", path, 1, NULL,
                  "the list is empty: a header row is required");
    tg_targets_free(t);
    return NULL;
  }
  t->number = 1;
  build_fields(t);
  size_t bad;
  char what[128];
  if (st != REC_OK || !decode_fields(t, &bad, what, sizeof what)) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.header", path, 1, NULL,
                "the header row cannot be read (%s)",
                st == REC_TOO_LONG ? "a column name is too long"
                : st == REC_UNTERMINATED ? "unterminated quote"
                : what);
    if (st == REC_OK) tg_diag_hint(d, "is the file UTF-8? Save it as CSV UTF-8, or set encoding: in the job");
    tg_targets_free(t);
    return NULL;
  }
  t->ncols = t->fieldv->len;
  t->cols = g_new0(char *, t->ncols + 1);
  bool ok = true;
  /* name -> first column (1-based): linear, a header may hold ~500,000 names */
  GHashTable *first = g_hash_table_new(g_str_hash, g_str_equal);
  for (size_t i = 0; i < t->ncols; i++) {
    const char *name = g_ptr_array_index(t->fieldv, i);
    t->cols[i] = g_strstrip(g_strdup(name));
    if (!*t->cols[i]) continue;
    size_t j = GPOINTER_TO_SIZE(g_hash_table_lookup(first, t->cols[i]));
    if (j) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.duplicate-column", path, 1, t->cols[i],
                  "column name appears twice (columns %zu and %zu)", j, i + 1);
      ok = false;
    } else {
      g_hash_table_insert(first, t->cols[i], GSIZE_TO_POINTER(i + 1));
    }
  }
  g_hash_table_destroy(first);
  if (!ok) {
    tg_targets_free(t);
    return NULL;
  }
  return t;
}

int tg_targets_next(tg_targets *t, tg_row *row, tg_diag *d) {
  for (;;) {
    memset(row, 0, sizeof *row);
    row->offset = t->buf_offset + t->pos;
    row->line = t->line;
    size_t too_long = 0;
    rec_status st = read_record(t, &too_long, d);
    if (st == REC_EOF) return 0;
    if (st == REC_IO) return -1;
    t->number++;
    row->number = t->number;
    build_fields(t);
    if (st == REC_OK && record_is_blank(t)) { /* an empty line is not a person */
      t->blank++;
      continue;
    }
    row->nfields = t->fieldv->len;
    row->fields = (const char *const *)t->fieldv->pdata;
    row->lengths = (const size_t *)t->lengths->data;
    const char *col = NULL;
    if (st == REC_TOO_LONG) {
      row->rejected = true;
      row->reject_code = "data.field-too-long";
      col = too_long < t->ncols ? t->cols[too_long] : NULL;
      tg_diag_row(d, TG_ERROR, TG_KIND_LIMIT, row->reject_code, t->path, row->number, col,
                  "a field is longer than %zu bytes", t->opt.max_field_bytes);
    } else if (st == REC_UNTERMINATED) {
      row->rejected = true;
      row->reject_code = "data.unterminated-quote";
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, row->reject_code, t->path, row->number, NULL,
                  "a quoted field is not closed before the end of the file");
    } else if (row->nfields != t->ncols) {
      row->rejected = true;
      row->reject_code = "data.field-count";
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, row->reject_code, t->path, row->number, NULL,
                  "the row has %zu fields but the header has %zu", row->nfields, t->ncols);
    } else {
      size_t bad;
      char what[128];
      if (!decode_fields(t, &bad, what, sizeof what)) {
        row->rejected = true;
        row->reject_code = "data.encoding";
        col = t->cols[bad];
        tg_diag_row(d, TG_ERROR, TG_KIND_DATA, row->reject_code, t->path, row->number, col, "%s",
                    what);
      }
    }
    row->reject_column = col;
    return 1;
  }
}

bool tg_targets_seek(tg_targets *t, uint64_t offset, uint64_t number, uint64_t line, tg_diag *d) {
  if (offset >= t->buf_offset && offset <= t->buf_offset + t->len) {
    t->pos = (size_t)(offset - t->buf_offset);
  } else {
    if (fseeko(t->f, (off_t)offset, SEEK_SET) != 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.seek", "cannot seek in %s: %s", t->path,
                  g_strerror(errno));
      return false;
    }
    t->buf_offset = offset;
    t->pos = t->len = 0;
    t->eof = false;
  }
  t->number = number - 1;
  t->line = line;
  return true;
}

void tg_targets_free(tg_targets *t) {
  if (!t) return;
  if (t->f) fclose(t->f);
  g_free(t->path);
  g_free(t->buf);
  if (t->cols) g_strfreev(t->cols);
  g_string_free(t->rec, TRUE);
  g_array_free(t->starts, TRUE);
  g_ptr_array_free(t->fieldv, TRUE);
  g_array_free(t->lengths, TRUE);
  g_string_free(t->converted, TRUE);
  g_free(t);
}
