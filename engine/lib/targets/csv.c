/* csv.c — a streaming RFC 4180 reader for target lists (CSV and TSV, UTF-8
 * and CP932), with the header logic of KDB extraction lists.
 *
 * Reads one record at a time through a fixed buffer: quoted fields, doubled
 * quotes, embedded line breaks, CRLF, LF or CR line ends and a UTF-8 BOM.
 * Memory is bounded by the longest row (and that by max_row_bytes), never by
 * the file.  Records are split on bytes first — in CP932 the delimiter, the
 * quote and line ends never occur inside a character — and then decoded
 * field by field.  A row that cannot be read faithfully — a field too long,
 * an unterminated quote, bytes that are not valid in the file's encoding, a
 * user-defined character (外字), the wrong number of fields — is returned
 * marked rejected with a diagnostic that names the row, the column and the
 * byte or code, never the value.
 *
 * Quoting that breaks is never read past: a record whose quoted field runs
 * over a line end and that cannot be read — the quote never closes, text
 * follows the closing quote, or the field count is wrong — means the rows
 * after it cannot be told apart (a stray quote swallowed them), so the list
 * is refused (targets.broken-quote) at the row where the quote opened.  And
 * apart from the parser, fill() counts the file's physical lines without
 * looking at quotes, so that the run can check that every line of the list
 * is a header line, a row, a blank line or a line break inside a field.
 * A row holds at most TG_TARGETS_MAX_FIELDS fields (a spreadsheet's column
 * limit): the work and memory for a line of a million commas stay bounded.
 *
 * The encoding is detected once from the BOM or the first 256 KiB (see
 * guess_encoding; a sample that is all ASCII defers the decision to the
 * first row that is not).  The delimiter is ',' unless the
 * file is .tsv or its first lines hold tabs and no more commas.
 *
 * Headers: without a profile the first row is the header and names are used
 * as written.  With a profile, title lines are skipped until the row naming
 * the profile's anchor column (KDB個人番号); the rows below it whose anchor
 * cell is empty belong to the header too (the grouped headers of the annex
 * lists).  Each column's header cells become a path — a group's label is
 * carried over the empty cells to its right that have sub-headers below —
 * and the path is matched against the job's mapping and then the profile
 * (profiles.c) to give the column its canonical name; other columns are
 * named by their path joined with '_' (特定健診受診歴_R06).
 */
#include "targets/targets_private.h"

#include <errno.h>
#include <string.h>

#define BUF_SIZE           (256 * 1024)
#define HEADER_SEARCH_ROWS 30
#define MAX_HEADER_ROWS    5

struct tg_targets {
  char *path;
  FILE *f;
  tg_targets_options opt;
  char *profile; /* "" for none */
  tg_encoding enc;
  bool enc_pending; /* all ASCII so far: decide at the first row that is not */
  bool headerless;
  /* input buffer */
  char *buf;
  size_t pos, len;
  uint64_t buf_offset; /* file offset of buf[0] */
  bool eof;
  uint64_t line;   /* current physical line (1-based) */
  uint64_t number; /* spreadsheet row number of the last record */
  uint64_t blank;  /* empty records skipped */
  uint64_t header_rows;
  uint64_t data_line; /* the line the first row starts on */
  /* the current record: line breaks inside its quotes, text after a closing
   * quote, more fields than a row may hold */
  uint64_t rec_breaks;
  bool rec_text_after_quote, rec_too_many_fields;
  uint64_t field_breaks; /* line breaks inside quoted fields of the rows returned */
  /* physical lines, counted in fill() without looking at quotes */
  uint64_t line_ends, counted_to;
  bool cr_pending, ends_with_eol, count_gap;
  /* header */
  size_t ncols;     /* the list's own columns */
  size_t ncols_all; /* and the added 郵便番号 (derive.c) */
  targets_postal_state postal;
  targets_title title; /* the date and count of its title lines */
  uint64_t rows_read;  /* rows returned, while read straight through */
  bool seeked;
  char **cols;    /* canonical names */
  char **headers; /* as written */
  /* current record */
  GString *rec;       /* raw fields separated by NUL */
  GArray *starts;     /* size_t offsets into rec */
  GPtrArray *fieldv;  /* const char* into rec or converted (rebuilt per record) */
  GArray *lengths;    /* size_t */
  GString *converted; /* decoded fields (CP932) separated by NUL */
};

const char *tg_encoding_name(tg_encoding e) {
  switch (e) {
  case TG_ENC_AUTO: return "auto";
  case TG_ENC_UTF8: return "utf-8";
  case TG_ENC_CP932: return "cp932";
  }
  return "?";
}

bool tg_encoding_parse(const char *s, tg_encoding *out) {
  static const struct {
    const char *name;
    tg_encoding enc;
  } NAMES[] = {
      {"auto", TG_ENC_AUTO},       {"utf-8", TG_ENC_UTF8},        {"utf8", TG_ENC_UTF8},
      {"cp932", TG_ENC_CP932},     {"windows-31j", TG_ENC_CP932}, {"shift_jis", TG_ENC_CP932},
      {"shift-jis", TG_ENC_CP932}, {"sjis", TG_ENC_CP932},        {"ms932", TG_ENC_CP932}};
  for (size_t i = 0; i < G_N_ELEMENTS(NAMES); i++)
    if (g_ascii_strcasecmp(s, NAMES[i].name) == 0) {
      *out = NAMES[i].enc;
      return true;
    }
  return false;
}

/* ---- input buffer ------------------------------------------------------------- */

/* Count the line ends (LF, CRLF, a lone CR) of the bytes just read that were
 * not counted before: the parser's line numbers are checked against this, so
 * it must not share the parser's state — no quotes, no records.  A seek back
 * (header detection, coming back to a row) never counts a byte twice; a
 * seek forward leaves a gap and the count is no longer the file's. */
static void count_line_ends(tg_targets *t) {
  uint64_t end = t->buf_offset + t->len;
  if (end <= t->counted_to) return;
  if (t->buf_offset > t->counted_to) t->count_gap = true;
  size_t from = t->buf_offset < t->counted_to ? (size_t)(t->counted_to - t->buf_offset) : 0;
  const char *b = t->buf + from, *e = t->buf + t->len;
  /* a CR at the end of the bytes counted before: alone unless an LF follows */
  if (t->cr_pending && *b != '\n') t->line_ends++;
  for (const char *p = b; (p = memchr(p, '\n', (size_t)(e - p))); p++)
    t->line_ends++;
  for (const char *p = b; (p = memchr(p, '\r', (size_t)(e - p))); p++)
    if (p + 1 < e && p[1] != '\n') t->line_ends++;
  t->cr_pending = e[-1] == '\r';
  t->ends_with_eol = e[-1] == '\n' || e[-1] == '\r';
  t->counted_to = end;
}

static bool fill(tg_targets *t, tg_diag *d) {
  if (t->pos < t->len) return true;
  if (t->eof) return false;
  t->buf_offset += t->len;
  t->pos = 0;
  t->len = fread(t->buf, 1, t->opt.buffer_bytes, t->f);
  if (t->len == 0) {
    if (ferror(t->f))
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s: %s", t->path,
                  g_strerror(errno));
    t->eof = true;
    return false;
  }
  count_line_ends(t);
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
  t->rec_breaks = 0;
  t->rec_text_after_quote = t->rec_too_many_fields = false;
  for (;;) {
    int c = getc_buf(t, d);
    if (c < 0) {
      if (t->f && ferror(t->f)) return REC_IO;
      if (!any) return REC_EOF;
      t->line++; /* the last line, without a line end */
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
        t->rec_breaks++;
      } else if (c == '\n') {
        t->line++;
        t->rec_breaks++;
      }
    } else if (c == delim) {
      field_len = 0;
      quoted = after_quote = false;
      if (++field_index >= TG_TARGETS_MAX_FIELDS) {
        /* fields beyond the limit are followed (quotes, line ends) but not
         * kept: the row is refused, and memory stays bounded */
        t->rec_too_many_fields = true;
        continue;
      }
      g_string_append_c(t->rec, '\0');
      start = t->rec->len;
      g_array_append_val(t->starts, start);
      continue;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && peekc_buf(t, d) == '\n') t->pos++;
      t->line++;
      break;
    } else if (c == '"' && field_len == 0 && !after_quote) {
      quoted = true;
      continue;
    } else if (after_quote) {
      /* text after a closing quote: kept (lenient), but noted — over a line
       * end it is the sign of a quote that swallowed rows */
      if (c != ' ' && c != '\t') t->rec_text_after_quote = true;
    }
    if (t->rec_too_many_fields) {
      field_len++;
      continue;
    }
    if (++field_len > t->opt.max_field_bytes || t->rec->len >= t->opt.max_row_bytes) {
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

/* ---- encodings ------------------------------------------------------------------ */

/* Invalid sequences in a sample; a sequence cut by the end of the sample
 * does not count unless the file ends there.  *good counts the valid
 * multi-byte sequences. */
static size_t utf8_errors(const unsigned char *s, size_t n, bool at_eof, size_t *good) {
  size_t errors = 0, i = 0;
  *good = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    gunichar c = g_utf8_get_char_validated((const char *)s + i, (gssize)(n - i));
    if (c == (gunichar)-2 && !at_eof) break;
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      errors++;
      i++;
      continue;
    }
    i += (size_t)g_unichar_to_utf8(c, NULL);
    (*good)++;
  }
  return errors;
}

static size_t cp932_errors(const unsigned char *s, size_t n, bool at_eof) {
  size_t errors = 0, i = 0;
  while (i < n) {
    uint32_t cp;
    int k = tg_cp932_decode(s + i, n - i, &cp);
    if (k == 0) {
      if (i + 1 == n && !at_eof && tg_cp932_lead_index(s[i]) >= 0) break;
      errors++;
      k = 1;
    }
    i += (size_t)k;
  }
  return errors;
}

static bool has_non_ascii(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] >= 0x80) return true;
  return false;
}

/* UTF-8 when the sample has no invalid UTF-8, or more valid multi-byte
 * sequences than invalid ones (a UTF-8 file with a damaged row: CP932 text
 * read as UTF-8 is mostly invalid, since the kana lead bytes 0x82/0x83 and
 * the half-width kana 0xA1-0xDF cannot start a sequence); otherwise the
 * encoding with fewer invalid sequences. */
static tg_encoding guess_encoding(const unsigned char *s, size_t n, bool at_eof) {
  size_t good;
  size_t u = utf8_errors(s, n, at_eof, &good);
  if (u == 0 || good >= u) return TG_ENC_UTF8;
  return cp932_errors(s, n, at_eof) < u ? TG_ENC_CP932 : TG_ENC_UTF8;
}

typedef enum { DECODE_DATA, DECODE_HEADER, DECODE_QUIET } decode_mode;

/* Check and, for CP932, convert every field of the current record.  In data
 * mode each bad field is reported; returns the index of the first bad field
 * (its code in *code) or -1. */
static int decode_fields(tg_targets *t, decode_mode mode, const char **code, tg_diag *d) {
  if (t->enc_pending && has_non_ascii((const unsigned char *)t->rec->str, t->rec->len)) {
    t->enc = guess_encoding((const unsigned char *)t->rec->str, t->rec->len, true);
    t->enc_pending = false;
  }
  int first_bad = -1;
  bool cp932 = t->enc == TG_ENC_CP932;
  if (cp932) g_string_truncate(t->converted, 0);
  GArray *cstarts = NULL;
  if (cp932) cstarts = g_array_sized_new(FALSE, FALSE, sizeof(size_t), t->fieldv->len);
  for (guint i = 0; i < t->fieldv->len; i++) {
    const unsigned char *f = g_ptr_array_index(t->fieldv, i);
    size_t len = g_array_index(t->lengths, size_t, i);
    char what[160] = "";
    const char *this_code = "data.encoding";
    size_t nchar = 0;
    size_t cstart = cp932 ? t->converted->len : 0;
    for (size_t k = 0; k < len && !*what;) {
      uint32_t cp;
      int n;
      nchar++;
      if (f[k] == 0) {
        g_snprintf(what, sizeof what, _("a NUL byte inside the field"));
        break;
      }
      if (cp932) {
        n = tg_cp932_decode(f + k, len - k, &cp);
        if (n == 0) {
          if (k + 1 < len && tg_cp932_lead_index(f[k]) >= 0)
            g_snprintf(what, sizeof what,
                       _("invalid CP932 byte sequence 0x%02X 0x%02X at byte %zu of the field"),
                       f[k], f[k + 1], k + 1);
          else
            g_snprintf(what, sizeof what, _("invalid CP932 byte 0x%02X at byte %zu of the field"),
                       f[k], k + 1);
          break;
        }
        if (cp >= 0xE000 && cp <= 0xE757) {
          this_code = "data.gaiji";
          g_snprintf(
              what, sizeof what,
              _("user-defined character %02X%02X (外字) at character %zu: it has no standard "
                "form and cannot be printed"),
              f[k], f[k + 1], nchar);
          break;
        }
        tg_utf8_append(t->converted, cp);
      } else {
        if (f[k] < 0x80) {
          k++;
          continue;
        }
        gunichar c = g_utf8_get_char_validated((const char *)f + k, (gssize)(len - k));
        if (c == (gunichar)-1 || c == (gunichar)-2) {
          g_snprintf(what, sizeof what, _("invalid UTF-8 byte 0x%02X at byte %zu of the field"),
                     f[k], k + 1);
          break;
        }
        n = g_unichar_to_utf8(c, NULL);
        if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) {
          this_code = "data.gaiji";
          unsigned sj = tg_cp932_from_pua(c);
          if (sj)
            g_snprintf(
                what, sizeof what,
                "private-use character U+%04X (外字, CP932 %04X) at character %zu: it has no "
                "standard form and cannot be printed",
                (unsigned)c, sj, nchar);
          else
            g_snprintf(what, sizeof what,
                       _("private-use character U+%04X (外字) at character %zu: it has no standard "
                         "form and cannot be printed"),
                       (unsigned)c, nchar);
          break;
        }
      }
      k += (size_t)n;
    }
    if (cp932) {
      g_array_append_val(cstarts, cstart);
      g_string_append_c(t->converted, '\0');
    }
    if (*what) {
      if (first_bad < 0) {
        first_bad = (int)i;
        *code = this_code;
      }
      if (mode == DECODE_DATA) {
        const char *col = i < t->ncols ? t->cols[i] : NULL;
        tg_diag_row(d, TG_ERROR, TG_KIND_DATA, this_code, t->path, t->number, col, "%s", what);
        if (!strcmp(this_code, "data.gaiji"))
          tg_diag_hint(d, "replace it in the source system (or map it to a standard character "
                          "with an IVS) and export the list again");
      } else if (mode == DECODE_HEADER) {
        tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.header", t->path, t->number, NULL,
                    "the header row cannot be read (%s)", what);
        if (!cp932 && strcmp(this_code, "data.gaiji"))
          tg_diag_hint(d, "is the file CP932 (Shift_JIS)? Set encoding: cp932 in the job");
        break;
      }
    }
  }
  if (cp932) {
    /* fields now point into the converted text (pointers taken after every
     * append, since the buffer may have moved) */
    for (guint i = 0; i < t->fieldv->len; i++) {
      size_t s = i < cstarts->len ? g_array_index(cstarts, size_t, i) : t->converted->len;
      size_t e = i + 1 < cstarts->len ? g_array_index(cstarts, size_t, i + 1) - 1
                                      : (i < cstarts->len ? t->converted->len - 1 : s);
      t->fieldv->pdata[i] = t->converted->str + s;
      g_array_index(t->lengths, size_t, i) = e - s;
    }
    g_array_free(cstarts, TRUE);
  }
  return first_bad;
}

/* ---- accessors -------------------------------------------------------------------- */

const char *tg_targets_get_path(const tg_targets *t) { return t->path; }
uint64_t tg_targets_get_blank_count(const tg_targets *t) { return t->blank; }
tg_encoding tg_targets_get_encoding(const tg_targets *t) { return t->enc; }
char tg_targets_get_delimiter(const tg_targets *t) { return t->opt.delimiter; }
const char *tg_targets_get_profile(const tg_targets *t) { return t->profile; }
uint64_t tg_targets_get_header_row_count(const tg_targets *t) { return t->header_rows; }
size_t tg_targets_get_column_count(const tg_targets *t) { return t->ncols_all; }
const char *tg_targets_get_column_name(const tg_targets *t, size_t i) {
  return i < t->ncols_all ? t->cols[i] : NULL;
}
const char *tg_targets_get_column_header(const tg_targets *t, size_t i) {
  return i < t->ncols_all ? t->headers[i] : NULL;
}
bool tg_targets_get_list_date(const tg_targets *t, tg_date *first, tg_date *last) {
  if (!t->title.have_date) return false;
  *first = t->title.first;
  *last = t->title.last;
  return true;
}
const char *const *tg_targets_get_column_names(const tg_targets *t) {
  return (const char *const *)t->cols;
}
int tg_targets_find_column(const tg_targets *t, const char *name) {
  for (size_t i = 0; i < t->ncols_all; i++)
    if (strcmp(t->cols[i], name) == 0) return (int)i;
  return -1;
}

/* ---- opening ------------------------------------------------------------------------ */

static char sniff_delimiter(const tg_targets *t) {
  if (g_str_has_suffix(t->path, ".tsv") || g_str_has_suffix(t->path, ".TSV")) return '\t';
  size_t tabs = 0, commas = 0, lines = 0;
  for (size_t i = t->pos; i < t->len && lines < 20; i++) {
    char c = t->buf[i];
    if (c == '\t')
      tabs++;
    else if (c == ',')
      commas++;
    else if (c == '\n')
      lines++;
  }
  return tabs > commas ? '\t' : ',';
}

static tg_targets *new_reader(const char *path, FILE *f, const tg_targets_options *opt) {
  tg_targets *t = g_new0(tg_targets, 1);
  t->path = g_strdup(path);
  t->f = f;
  if (opt) t->opt = *opt;
  if (!t->opt.max_field_bytes) t->opt.max_field_bytes = 64 * 1024;
  if (!t->opt.max_row_bytes) t->opt.max_row_bytes = 1024 * 1024;
  t->profile = g_strdup(t->opt.profile ? t->opt.profile : "");
  t->opt.profile = NULL; /* borrowed pointers of the caller are not kept */
  t->opt.columns = NULL;
  t->opt.required_columns = NULL;
  if (!t->opt.buffer_bytes) t->opt.buffer_bytes = BUF_SIZE;
  t->buf = g_malloc(t->opt.buffer_bytes);
  t->rec = g_string_sized_new(1024);
  t->starts = g_array_new(FALSE, FALSE, sizeof(size_t));
  t->fieldv = g_ptr_array_new();
  t->lengths = g_array_new(FALSE, FALSE, sizeof(size_t));
  t->converted = g_string_new(NULL);
  t->line = 1;
  t->data_line = 1;
  t->postal.postal_col = -1;
  return t;
}

/* What a file that is not a text list is, by its first bytes, or NULL.
 * An Excel workbook handed over instead of its CSV export is the usual
 * case; a NUL byte in the first line catches the rest (a NUL further down
 * rejects only its row). */
static const char *binary_kind(const unsigned char *b, size_t n) {
  static const struct {
    const char *magic;
    size_t len;
    const char *what;
  } kinds[] = {
      {"PK\3\4", 4, N_("an Excel workbook (.xlsx) or another zip archive")},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, N_("an old Excel workbook (.xls)")},
      {"%PDF-", 5, N_("a PDF")},
      {"\x89PNG\r\n\x1A\n", 8, N_("a PNG picture")},
      {"\xFF\xD8\xFF", 3, N_("a JPEG picture")},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++)
    if (n >= kinds[k].len && memcmp(b, kinds[k].magic, kinds[k].len) == 0) return kinds[k].what;
  bool nul = false;
  for (size_t i = 0; i < n && b[i] != '\n' && !nul; i++)
    nul = b[i] == 0;
  if (!nul) return NULL;
  /* UTF-16 (little or big endian): separators are 2-byte units, a comma
   * or tab beside a NUL, at even offsets */
  size_t le = 0, be = 0;
  for (size_t i = 0; i + 1 < n && i < 1024; i += 2) {
    le += (b[i] == ',' || b[i] == '\t') && b[i + 1] == 0;
    be += b[i] == 0 && (b[i + 1] == ',' || b[i + 1] == '\t');
  }
  return le >= 2 || be >= 2 ? N_("UTF-16 text without a byte-order mark")
                            : N_("a binary file (its first line holds a NUL byte)");
}

/* BOM, encoding and delimiter.  False (reported) for UTF-16 and binary
 * files. */
static bool start_reading(tg_targets *t, tg_encoding wanted, tg_diag *d) {
  bool some = fill(t, d);
  const char *binary = some ? binary_kind((const unsigned char *)t->buf, t->len) : NULL;
  t->enc = wanted;
  if (some && t->len >= 3 && memcmp(t->buf, "\xEF\xBB\xBF", 3) == 0) {
    t->pos = 3;
    t->enc = TG_ENC_UTF8;
  } else if (some && t->len >= 2 &&
             (memcmp(t->buf, "\xFF\xFE", 2) == 0 || memcmp(t->buf, "\xFE\xFF", 2) == 0)) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.encoding", t->path, 1, NULL,
                "the file is UTF-16 (Excel's \"Unicode text\"), which lists cannot be");
    tg_diag_hint(d, "save it from Excel as \"CSV UTF-8\" or \"CSV (comma delimited)\"");
    return false;
  } else if (binary) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.not-text", t->path, 1, NULL,
                "the file is not a text list: it looks like %s", _(binary));
    tg_diag_hint(d, "save the list from Excel as \"CSV UTF-8\" or \"CSV (comma delimited)\"");
    return false;
  } else if (wanted == TG_ENC_AUTO) {
    const unsigned char *s = (const unsigned char *)t->buf;
    if (!has_non_ascii(s, t->len)) {
      t->enc = TG_ENC_UTF8;
      t->enc_pending = true;
    } else {
      t->enc = guess_encoding(s, t->len, t->eof || t->len < t->opt.buffer_bytes);
    }
  }
  if (!t->opt.delimiter) t->opt.delimiter = sniff_delimiter(t);
  return true;
}

tg_targets *targets_open_headerless(const char *path, tg_encoding enc, tg_diag *d) {
  FILE *f = tg_open_input(path, "", d);
  if (!f) return NULL;
  tg_targets_options o = {.encoding = enc, .delimiter = ','};
  tg_targets *t = new_reader(path, f, &o);
  t->headerless = true;
  if (!start_reading(t, enc, d)) {
    tg_targets_free(t);
    return NULL;
  }
  return t;
}

/* Header rows: each a GPtrArray of trimmed, decoded cells. */
static GPtrArray *row_cells(tg_targets *t) {
  GPtrArray *cells = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < t->fieldv->len; i++) {
    char *s = g_strndup(g_ptr_array_index(t->fieldv, i), g_array_index(t->lengths, size_t, i));
    g_ptr_array_add(cells, g_strstrip(s));
  }
  return cells;
}

static char *fold_str(const char *s) {
  GString *g = g_string_new(NULL);
  targets_fold(g, s, strlen(s));
  return g_string_free(g, FALSE);
}

/* Does any cell of the record match one of the anchor patterns?  Returns
 * its index or -1. */
static int find_anchor(tg_targets *t, const char *const *patterns, size_t n) {
  for (guint i = 0; i < t->fieldv->len; i++) {
    char *label = g_strndup(g_ptr_array_index(t->fieldv, i), g_array_index(t->lengths, size_t, i));
    char *folded = fold_str(label);
    const char *labels[] = {folded};
    bool hit = false;
    for (size_t k = 0; k < n && !hit; k++)
      hit = targets_path_matches(labels, 1, patterns[k]);
    g_free(folded);
    g_free(label);
    if (hit) return (int)i;
  }
  return -1;
}

typedef struct {
  GPtrArray *labels; /* folded, non-legend labels of the path (char*) */
  char *composite;   /* folded labels joined with '_' */
  char *display;     /* written labels joined with " / " */
  const char *name;  /* assigned canonical name (borrowed), or NULL */
} column_path;

static void build_paths(GPtrArray *hrows, size_t ncols, column_path *paths) {
  size_t H = hrows->len;
  /* effective labels with group labels carried right */
  const char **eff = g_new0(const char *, H *ncols);
  for (size_t r = 0; r < H; r++) {
    GPtrArray *cells = g_ptr_array_index(hrows, r);
    for (size_t c = 0; c < ncols; c++)
      eff[r * ncols + c] = c < cells->len ? g_ptr_array_index(cells, c) : "";
  }
  for (size_t r = 0; r + 1 < H; r++) {
    for (size_t c = 1; c < ncols; c++) {
      if (*eff[r * ncols + c] || !*eff[r * ncols + c - 1]) continue;
      bool below = false;
      for (size_t q = r + 1; q < H && !below; q++)
        below = *eff[q * ncols + c] != '\0';
      bool same_parent = true;
      for (size_t q = 0; q < r && same_parent; q++)
        same_parent = strcmp(eff[q * ncols + c], eff[q * ncols + c - 1]) == 0;
      if (below && same_parent) eff[r * ncols + c] = eff[r * ncols + c - 1];
    }
  }
  for (size_t c = 0; c < ncols; c++) {
    column_path *p = &paths[c];
    p->labels = g_ptr_array_new_with_free_func(g_free);
    GString *comp = g_string_new(NULL), *disp = g_string_new(NULL);
    for (size_t r = 0; r < H; r++) {
      const char *label = eff[r * ncols + c];
      if (!*label || targets_label_is_legend(label)) continue;
      char *folded = fold_str(label);
      if (comp->len) g_string_append_c(comp, '_');
      g_string_append(comp, folded);
      g_ptr_array_add(p->labels, folded);
      if (disp->len) g_string_append(disp, " / ");
      g_string_append(disp, label);
    }
    p->composite = g_string_free(comp, FALSE);
    p->display = g_string_free(disp, FALSE);
  }
  g_free(eff);
}

static int match_column(column_path *paths, size_t ncols, const char *pattern, bool unclaimed) {
  for (size_t c = 0; c < ncols; c++) {
    if (unclaimed && paths[c].name) continue;
    if (targets_path_matches((const char *const *)paths[c].labels->pdata, paths[c].labels->len,
                             pattern))
      return (int)c;
  }
  return -1;
}

/* Names, mapping, profile, required columns.  False when a column is missing
 * or the mapping is contradictory (all reported). */
static bool name_columns(tg_targets *t, GPtrArray *hrows, const targets_profile *prof,
                         const tg_targets_options *opt, tg_diag *d) {
  size_t ncols = 0;
  for (guint r = 0; r < hrows->len; r++) {
    GPtrArray *cells = g_ptr_array_index(hrows, r);
    if (cells->len > ncols) ncols = cells->len;
  }
  /* trailing columns with no header at all are not columns */
  column_path *paths = g_new0(column_path, ncols ? ncols : 1);
  build_paths(hrows, ncols, paths);
  if (prof || hrows->len > 1)
    while (ncols > 0 && !paths[ncols - 1].labels->len && !*paths[ncols - 1].display) {
      ncols--;
      g_ptr_array_free(paths[ncols].labels, TRUE);
      g_free(paths[ncols].composite);
      g_free(paths[ncols].display);
    }
  bool ok = true;
  uint64_t hrow = t->header_rows;
  /* 1. the job's mapping */
  size_t nmap = opt ? opt->ncolumns : 0;
  for (size_t i = 0; i < nmap; i++) {
    const tg_column_map *m = &opt->columns[i];
    char *pat = fold_str(m->header);
    int c = match_column(paths, ncols, pat, false);
    g_free(pat);
    if (c < 0) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.missing-column", t->path, hrow, NULL,
                  "the list has no column '%s' (mapped to %s in the job)", m->header, m->name);
      const char **cands = g_new0(const char *, ncols + 1);
      for (size_t k = 0; k < ncols; k++)
        cands[k] = paths[k].display;
      const char *s = tg_suggest(m->header, cands, ncols);
      if (s) tg_diag_hint(d, "did you mean '%s'?", s);
      g_free(cands);
      ok = false;
    } else if (paths[c].name) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.column-map", t->path, hrow, NULL,
                  "the job maps both %s and %s to the column '%s'", paths[c].name, m->name,
                  paths[c].display);
      ok = false;
    } else {
      paths[c].name = m->name;
    }
  }
  /* 2. the profile, for canonical names the mapping did not give */
  if (prof) {
    for (const char *const *n = prof->columns; *n; n++) {
      bool mapped = false;
      for (size_t c = 0; c < ncols && !mapped; c++)
        mapped = paths[c].name && strcmp(paths[c].name, *n) == 0;
      if (mapped) continue;
      const targets_column_def *def = targets_column_lookup(*n);
      for (const char *const *p = def->patterns; *p; p++) {
        int c = match_column(paths, ncols, *p, true);
        if (c >= 0) {
          paths[c].name = def->name;
          break;
        }
      }
    }
  }
  /* 3. names */
  t->ncols = t->ncols_all = ncols;
  t->cols = g_new0(char *, ncols + 2);
  t->headers = g_new0(char *, ncols + 2);
  bool plain = !prof && hrows->len == 1;
  GPtrArray *first = g_ptr_array_index(hrows, 0);
  for (size_t c = 0; c < ncols; c++) {
    if (paths[c].name)
      t->cols[c] = g_strdup(paths[c].name);
    else if (plain)
      t->cols[c] = g_strdup(c < first->len ? (const char *)first->pdata[c] : "");
    else
      t->cols[c] = g_strdup(paths[c].composite);
    t->headers[c] = g_strdup(paths[c].display);
  }
  if (opt && (opt->derive_postal || opt->postal_overrides)) { /* derive.c */
    t->postal.postal_col = -1;
    bool address = false;
    for (size_t c = 0; c < ncols; c++) {
      if (!strcmp(t->cols[c], "郵便番号") && t->postal.postal_col < 0)
        t->postal.postal_col = (int)c;
      address = address || !strcmp(t->cols[c], "住所");
    }
    if (t->postal.postal_col < 0 && address) {
      t->cols[ncols] = g_strdup("郵便番号");
      t->headers[ncols] = g_strdup("郵便番号 (住所から)");
      t->postal.postal_col = (int)ncols;
      t->postal.added = true;
      t->ncols_all = ncols + 1;
    }
  }
  /* 4. required columns */
  GPtrArray *required = g_ptr_array_new();
  if (prof)
    for (const char *const *n = prof->required; *n; n++)
      g_ptr_array_add(required, (char *)*n);
  for (size_t i = 0; opt && i < opt->nrequired_columns; i++)
    g_ptr_array_add(required, (char *)opt->required_columns[i]);
  for (guint i = 0; i < required->len; i++) {
    const char *name = g_ptr_array_index(required, i);
    bool seen = false;
    for (guint k = 0; k < i && !seen; k++)
      seen = !strcmp(g_ptr_array_index(required, k), name);
    if (seen || tg_targets_find_column(t, name) >= 0) continue;
    if (prof && i < g_strv_length((char **)prof->required))
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.missing-column", t->path, hrow, NULL,
                  "the list has no column %s, which the %s profile (%s) requires", name, prof->name,
                  prof->title);
    else
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.missing-column", t->path, hrow, NULL,
                  "the list has no column %s, which the job requires", name);
    const char *s = tg_suggest(name, (const char *const *)t->cols, ncols);
    if (s) tg_diag_hint(d, "did you mean '%s'?", s);
    ok = false;
  }
  g_ptr_array_free(required, TRUE);
  /* 5. one column per name: name -> first column (1-based), linear, as a
   * header may hold hundreds of thousands of names (found by fuzzing) */
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (size_t i = 0; i < ncols; i++) {
    if (!*t->cols[i]) continue;
    size_t j = GPOINTER_TO_SIZE(g_hash_table_lookup(seen, t->cols[i]));
    if (j) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.duplicate-column", t->path, hrow,
                  t->cols[i], "column name appears twice (columns %zu and %zu)", j, i + 1);
      ok = false;
    } else {
      g_hash_table_insert(seen, t->cols[i], GSIZE_TO_POINTER(i + 1));
    }
  }
  g_hash_table_destroy(seen);
  for (size_t c = 0; c < ncols; c++) {
    g_ptr_array_free(paths[c].labels, TRUE);
    g_free(paths[c].composite);
    g_free(paths[c].display);
  }
  g_free(paths);
  return ok;
}

/* Is the record just read one more row of a grouped header (and not a
 * person whose key is missing)?  Its anchor cell is empty, so are the cells
 * under every single-column header of the first header row (a person has a
 * name and an address there), and no cell is a bare ○/● or a number. */
static bool continues_header(tg_targets *t, GPtrArray *first, guint anchor) {
  if (record_is_blank(t)) return false;
  guint n = t->fieldv->len;
  const char *const *f = (const char *const *)t->fieldv->pdata;
  const size_t *len = (const size_t *)t->lengths->data;
  if (anchor < n && !targets_is_blank(f[anchor], len[anchor])) return false;
  for (guint c = 0; c < n; c++) {
    if (targets_is_blank(f[c], len[c])) continue;
    bool single = c < first->len && *(const char *)g_ptr_array_index(first, c) &&
                  (c + 1 >= first->len || *(const char *)g_ptr_array_index(first, c + 1));
    if (single) return false;
    double v;
    tg_mark m = tg_mark_parse(f[c], len[c]);
    if (m == TG_MARK_CIRCLE || m == TG_MARK_FILLED || tg_parse_decimal(f[c], len[c], &v))
      return false;
  }
  return true;
}

/* One record of the header area: 1 when read, 0 at the end of the file,
 * -1 when it cannot be read (reported if `report`). */
static int header_record(tg_targets *t, tg_diag *d, bool report) {
  size_t too_long = 0;
  rec_status st = read_record(t, &too_long, d);
  if (st == REC_EOF) return 0;
  if (st == REC_IO) return -1;
  t->number++;
  build_fields(t);
  if (t->rec_too_many_fields) {
    if (report)
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.too-many-columns", t->path, t->number, NULL,
                  "the header row has more than %d columns, more than a spreadsheet holds",
                  TG_TARGETS_MAX_FIELDS);
    return -1;
  }
  if (st != REC_OK) {
    if (report)
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.header", t->path, t->number, NULL,
                  "the header row cannot be read (%s)",
                  st == REC_TOO_LONG ? "a column name is too long" : "unterminated quote");
    return -1;
  }
  return 1;
}

static void report_empty(tg_targets *t, tg_diag *d) {
  tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.empty", t->path, t->number + 1, NULL,
              "the list is empty: a header row is required");
}

tg_targets *tg_targets_open(const char *path, const tg_targets_options *opt, tg_diag *d) {
  const targets_profile *prof = NULL;
  if (opt && opt->profile && *opt->profile && strcmp(opt->profile, "none") != 0) {
    prof = targets_profile_lookup(opt->profile);
    if (!prof) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "targets.profile", "%s: unknown column profile '%s'",
                  path, opt->profile);
      const char *const *names = tg_targets_profile_names();
      const char *s = tg_suggest(opt->profile, names, g_strv_length((char **)names));
      if (s)
        tg_diag_hint(d, "did you mean '%s'?", s);
      else
        tg_diag_hint(d, "the profiles are kdb-highrisk and kdb-dropout");
      return NULL;
    }
  }
  FILE *f = tg_open_input(path, "target list ", d);
  if (!f) return NULL;
  tg_targets *t = new_reader(path, f, opt);
  if (prof) {
    g_free(t->profile);
    t->profile = g_strdup(prof->name);
  } else {
    t->profile[0] = '\0';
  }
  if (!start_reading(t, opt ? opt->encoding : TG_ENC_AUTO, d)) {
    tg_targets_free(t);
    return NULL;
  }
  unsigned want_rows = opt ? opt->header_rows : 0;
  GPtrArray *hrows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  const char *code = NULL;
  bool ok = true;
  if (!prof && want_rows <= 1) {
    int st = header_record(t, d, true);
    if (st == 0) report_empty(t, d);
    ok = st > 0 && decode_fields(t, DECODE_HEADER, &code, d) < 0;
    if (ok) g_ptr_array_add(hrows, row_cells(t));
  } else {
    /* the anchor: the profile's, or the mapped header of the anchor column */
    GPtrArray *anchors = g_ptr_array_new_with_free_func(g_free);
    if (prof) {
      const targets_column_def *def = targets_column_lookup(prof->anchor);
      for (const char *const *p = def->patterns; *p; p++)
        g_ptr_array_add(anchors, g_strdup(*p));
      for (size_t i = 0; opt && i < opt->ncolumns; i++)
        if (!strcmp(opt->columns[i].name, prof->anchor))
          g_ptr_array_add(anchors, fold_str(opt->columns[i].header));
    }
    int anchor = -1;
    bool found = false;
    for (int scan = 0; scan < HEADER_SEARCH_ROWS && !found; scan++) {
      int st = header_record(t, d, true);
      if (st <= 0) {
        if (st == 0 && t->number == 0) report_empty(t, d);
        ok = st == 0 && t->number > 0; /* rows, but no header among them: said below */
        break;
      }
      if (record_is_blank(t)) continue;
      if (decode_fields(t, DECODE_QUIET, &code, d) >= 0) continue; /* a title in another script */
      anchor = prof ? find_anchor(t, (const char *const *)anchors->pdata, anchors->len) : 0;
      found = anchor >= 0;
      for (guint i = 0; !found && i < t->fieldv->len; i++)
        targets_title_cell(&t->title, t->fieldv->pdata[i], g_array_index(t->lengths, size_t, i));
    }
    if (ok && !found) {
      tg_diag_row(
          d, TG_ERROR, TG_KIND_SCHEMA, "targets.header", t->path, 0, NULL,
          "no row among the first %" PRIu64 " names the column %s: this is not a %s list (%s)",
          t->number, prof ? prof->anchor : "", prof ? prof->name : "", prof ? prof->title : "");
      tg_diag_hint(d, "map the column with columns: in the job if the list calls it otherwise");
      ok = false;
    }
    if (ok) {
      g_ptr_array_add(hrows, row_cells(t));
      unsigned more = want_rows ? want_rows - 1 : MAX_HEADER_ROWS - 1;
      for (unsigned k = 0; k < more; k++) {
        uint64_t off = t->buf_offset + t->pos, num = t->number + 1, line = t->line;
        int st = header_record(t, d, want_rows > 0);
        if (st <= 0) {
          if (want_rows) {
            if (st == 0)
              tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.header", t->path, 0, NULL,
                          "the list ends within its %u header rows", want_rows);
            ok = false;
          } else {
            tg_targets_seek(t, off, num, line, d); /* a person's row: read it again as data */
          }
          break;
        }
        bool cont = true;
        if (!want_rows) {
          cont = decode_fields(t, DECODE_QUIET, &code, d) < 0 &&
                 continues_header(t, g_ptr_array_index(hrows, 0), (guint)anchor);
        } else if (decode_fields(t, DECODE_HEADER, &code, d) >= 0) {
          ok = false;
          break;
        }
        if (!cont) {
          tg_targets_seek(t, off, num, line, d);
          break;
        }
        g_ptr_array_add(hrows, row_cells(t));
      }
    }
    g_ptr_array_free(anchors, TRUE);
  }
  t->header_rows = t->number;
  t->data_line = t->line;
  t->seeked = false; /* the header's own look-ahead */
  if (ok) ok = name_columns(t, hrows, prof, opt, d);
  g_ptr_array_free(hrows, TRUE);
  if (ok && t->postal.postal_col >= 0) {
    t->postal.postal = opt->derive_postal;
    t->postal.overrides = opt->postal_overrides;
    t->postal.hint = opt->postal_hint;
    t->postal.address_col = tg_targets_find_column(t, "住所");
    t->postal.key_col =
        tg_targets_find_column(t, opt->key_column ? opt->key_column : "KDB個人番号");
  }
  if (!ok) {
    tg_targets_free(t);
    return NULL;
  }
  return t;
}

/* ---- rows ------------------------------------------------------------------------- */

int tg_targets_next(tg_targets *t, tg_row *row, tg_diag *d) {
  for (;;) {
    memset(row, 0, sizeof *row);
    row->offset = t->buf_offset + t->pos;
    row->line = t->line;
    size_t too_long = 0;
    rec_status st = read_record(t, &too_long, d);
    if (st == REC_EOF && t->title.have_count && !t->seeked && t->title.count != t->rows_read) {
      tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "targets.count-mismatch", t->path, 0, NULL,
                  "the title says 該当者 %" PRIu64 "人 but the list has %" PRIu64
                  " rows: check that the export is complete",
                  t->title.count, t->rows_read);
      t->seeked = true; /* said once */
    }
    if (st == REC_EOF) return 0;
    if (st == REC_IO) return -1;
    t->number++;
    row->number = t->number;
    build_fields(t);
    if (st == REC_OK && record_is_blank(t)) { /* an empty line is not a person */
      t->blank++;
      continue;
    }
    /* trailing empty fields beyond the header (Excel pads rows) carry nothing */
    if (!t->headerless && t->fieldv->len > t->ncols) {
      bool extra_empty = true;
      for (guint i = (guint)t->ncols; i < t->fieldv->len && extra_empty; i++)
        extra_empty = g_array_index(t->lengths, size_t, i) == 0;
      if (extra_empty) {
        g_ptr_array_set_size(t->fieldv, (guint)t->ncols);
        g_array_set_size(t->lengths, (guint)t->ncols);
      }
    }
    if (t->rec_breaks && (st == REC_UNTERMINATED || t->rec_text_after_quote ||
                          (!t->headerless && t->fieldv->len != t->ncols))) {
      /* a quote that runs over a line end and does not close where a field
       * ends: the lines it took in may be rows of their own, and nobody can
       * tell which — refuse the list rather than lose people silently */
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.broken-quote", t->path, row->number, NULL,
                  "a quote opened in this row (line %" PRIu64 ") runs over %" PRIu64
                  " line end%s and %s: the rows after it cannot "
                  "be told apart, so the list is not read",
                  row->line, t->rec_breaks, t->rec_breaks == 1 ? "" : "s",
                  st == REC_UNTERMINATED    ? _("never closes")
                  : t->rec_text_after_quote ? _("closes in the middle of a field")
                                            : _("leaves the row with the wrong number of fields"));
      tg_diag_hint(d, "close the quote (or write a quote inside a quoted value as \"\") and "
                      "export the list again");
      return -1;
    }
    t->field_breaks += t->rec_breaks;
    const char *col = NULL;
    if (t->rec_too_many_fields) {
      row->rejected = true;
      row->reject_code = "data.field-count";
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, row->reject_code, t->path, row->number, NULL,
                  "the row has more than %d fields", TG_TARGETS_MAX_FIELDS);
    } else if (st == REC_TOO_LONG) {
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
    } else if (!t->headerless && t->fieldv->len != t->ncols) {
      row->rejected = true;
      row->reject_code = "data.field-count";
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, row->reject_code, t->path, row->number, NULL,
                  "the row has %u fields but the header has %zu", t->fieldv->len, t->ncols);
    } else {
      const char *code = NULL;
      int bad = decode_fields(t, DECODE_DATA, &code, d);
      if (bad >= 0) {
        row->rejected = true;
        row->reject_code = code;
        col = (size_t)bad < t->ncols ? t->cols[bad] : NULL;
      }
    }
    targets_postal_apply(&t->postal, t->ncols, t->fieldv, t->lengths, row);
    t->rows_read++;
    row->nfields = t->fieldv->len;
    row->fields = (const char *const *)t->fieldv->pdata;
    row->lengths = (const size_t *)t->lengths->data;
    row->reject_column = col;
    return 1;
  }
}

uint64_t tg_targets_get_line_count(const tg_targets *t) {
  if (!t->eof || t->count_gap) return 0;
  return t->line_ends + (t->cr_pending ? 1 : 0) + (t->counted_to > 0 && !t->ends_with_eol);
}
uint64_t tg_targets_get_header_line_count(const tg_targets *t) { return t->data_line - 1; }
uint64_t tg_targets_get_field_break_count(const tg_targets *t) { return t->field_breaks; }

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
  t->seeked = true;
  return true;
}

void tg_targets_free(tg_targets *t) {
  if (!t) return;
  if (t->f) fclose(t->f);
  g_free(t->path);
  g_free(t->profile);
  g_free(t->buf);
  if (t->cols) g_strfreev(t->cols);
  if (t->headers) g_strfreev(t->headers);
  g_string_free(t->rec, TRUE);
  g_array_free(t->starts, TRUE);
  g_ptr_array_free(t->fieldv, TRUE);
  g_array_free(t->lengths, TRUE);
  g_string_free(t->converted, TRUE);
  targets_postal_clear(&t->postal);
  g_free(t);
}
