/* diag.c — the diagnostics collector and its text rendering.
 *
 * Stages add entries; nothing is printed here.  Entries with the same code
 * beyond a repeat limit are not stored but counted, and one summary entry
 * carries the count, so 10,000 rows with the same problem give 20 messages
 * and "... and 9,980 more like this".  tg_diag_format() renders gcc-style text
 * with the source line and a caret sized to the span's display width.
 * Messages, hints and the words around them are translated (i18n.c): the
 * format string given to tg_diag_* is the msgid; codes never are.
 */
#include "base/base.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

typedef struct {
  tg_diag_entry e;
  char *message_owned, *hint_owned, *file_owned, *column_owned;
} entry;

struct tg_diag {
  GPtrArray *entries;      /* entry* */
  GHashTable *code_counts; /* code -> count seen */
  GHashTable *summaries;   /* code -> entry* summary (owned by entries) */
  GStringChunk *codes;     /* interned codes */
  uint32_t repeat_limit;
};

static void entry_free(gpointer p) {
  entry *en = p;
  tg_source_free((tg_source *)en->e.span.src);
  g_free(en->message_owned);
  g_free(en->hint_owned);
  g_free(en->file_owned);
  g_free(en->column_owned);
  g_free(en);
}

tg_diag *tg_diag_new(void) {
  tg_diag *d = g_new0(tg_diag, 1);
  d->entries = g_ptr_array_new_with_free_func(entry_free);
  d->code_counts = g_hash_table_new(g_str_hash, g_str_equal);
  d->summaries = g_hash_table_new(g_str_hash, g_str_equal);
  d->codes = g_string_chunk_new(256);
  d->repeat_limit = 20;
  return d;
}

void tg_diag_free(tg_diag *d) {
  if (!d) return;
  g_ptr_array_free(d->entries, TRUE);
  g_hash_table_destroy(d->code_counts);
  g_hash_table_destroy(d->summaries);
  g_string_chunk_free(d->codes);
  g_free(d);
}

void tg_diag_set_repeat_limit(tg_diag *d, uint32_t limit) { d->repeat_limit = limit; }

void tg_diag_clear(tg_diag *d) {
  g_ptr_array_set_size(d->entries, 0);
  g_hash_table_remove_all(d->code_counts);
  g_hash_table_remove_all(d->summaries);
}

static char *more_like_this(uint64_t n) {
  return g_strdup_printf(_("... and %" PRIu64 " more like this"), n);
}

/* Returns the new entry, or NULL when it was only counted.  The format is
 * the msgid: it is translated before the arguments go in (i18n.c). */
__attribute__((format(printf, 5, 0))) static entry *push(tg_diag *d, tg_severity sev,
                                                         tg_diag_kind kind, const char *code,
                                                         const char *fmt, va_list ap) {
  const char *icode = g_string_chunk_insert_const(d->codes, code ? code : "");
  guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(d->code_counts, icode)) + 1;
  g_hash_table_insert(d->code_counts, (gpointer)icode, GUINT_TO_POINTER(seen));
  if (d->repeat_limit && seen > d->repeat_limit) {
    entry *sum = g_hash_table_lookup(d->summaries, icode);
    if (!sum) {
      sum = g_new0(entry, 1);
      sum->e.severity = sev;
      sum->e.kind = kind;
      sum->e.code = icode;
      g_ptr_array_add(d->entries, sum);
      g_hash_table_insert(d->summaries, (gpointer)icode, sum);
    }
    if (sev > sum->e.severity) sum->e.severity = sev;
    sum->e.repeats++;
    g_free(sum->message_owned);
    sum->message_owned = more_like_this(sum->e.repeats);
    sum->e.message = sum->message_owned;
    return NULL;
  }
  entry *en = g_new0(entry, 1);
  en->e.severity = sev;
  en->e.kind = kind;
  en->e.code = icode;
  en->message_owned = g_strdup_vprintf(_(fmt), ap);
  en->e.message = en->message_owned;
  g_ptr_array_add(d->entries, en);
  return en;
}

void tg_diag_at(tg_diag *d, tg_severity sev, tg_diag_kind kind, const char *code, tg_span span,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  entry *en = push(d, sev, kind, code, fmt, ap);
  va_end(ap);
  if (en) {
    en->e.span = span;
    tg_source_ref(span.src); /* the message may outlive the file's owner */
  }
}

void tg_diag_row(tg_diag *d, tg_severity sev, tg_diag_kind kind, const char *code, const char *file,
                 uint64_t row, const char *column, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  entry *en = push(d, sev, kind, code, fmt, ap);
  va_end(ap);
  if (!en) return;
  en->file_owned = g_strdup(file);
  en->column_owned = g_strdup(column);
  en->e.file = en->file_owned;
  en->e.column = en->column_owned;
  en->e.row = row;
}

void tg_diag_add(tg_diag *d, tg_severity sev, tg_diag_kind kind, const char *code, const char *fmt,
                 ...) {
  va_list ap;
  va_start(ap, fmt);
  push(d, sev, kind, code, fmt, ap);
  va_end(ap);
}

void tg_diag_hint(tg_diag *d, const char *fmt, ...) {
  if (d->entries->len == 0) return;
  entry *en = g_ptr_array_index(d->entries, d->entries->len - 1);
  if (en->e.repeats) return; /* the last one was only counted */
  va_list ap;
  va_start(ap, fmt);
  g_free(en->hint_owned);
  en->hint_owned = g_strdup_vprintf(_(fmt), ap);
  va_end(ap);
  en->e.hint = en->hint_owned;
}

size_t tg_diag_count(const tg_diag *d) { return d->entries->len; }

size_t tg_diag_count_at_least(const tg_diag *d, tg_severity sev) {
  size_t n = 0;
  for (guint i = 0; i < d->entries->len; i++) {
    entry *en = g_ptr_array_index(d->entries, i);
    if (en->e.severity >= sev)
      n += en->e.repeats ? en->e.repeats : 1; /* a summary stands for its repeats */
  }
  return n;
}

bool tg_diag_has_errors(const tg_diag *d) { return tg_diag_count_at_least(d, TG_ERROR) > 0; }

const tg_diag_entry *tg_diag_get(const tg_diag *d, size_t i) {
  if (i >= d->entries->len) return NULL;
  return &((entry *)g_ptr_array_index(d->entries, i))->e;
}

void tg_diag_take(tg_diag *to, tg_diag *from) {
  for (guint i = 0; i < from->entries->len; i++) {
    entry *en = g_ptr_array_index(from->entries, i);
    const char *icode = g_string_chunk_insert_const(to->codes, en->e.code);
    guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(to->code_counts, icode)) +
                 (guint)(en->e.repeats ? en->e.repeats : 1);
    g_hash_table_insert(to->code_counts, (gpointer)icode, GUINT_TO_POINTER(seen));
    if (to->repeat_limit && seen > to->repeat_limit) {
      /* over the limit: count it into the summary entry instead */
      entry *sum = g_hash_table_lookup(to->summaries, icode);
      if (!sum) {
        sum = g_new0(entry, 1);
        sum->e.severity = en->e.severity;
        sum->e.kind = en->e.kind;
        sum->e.code = icode;
        g_ptr_array_add(to->entries, sum);
        g_hash_table_insert(to->summaries, (gpointer)icode, sum);
      }
      if (en->e.severity > sum->e.severity) sum->e.severity = en->e.severity;
      sum->e.repeats += en->e.repeats ? en->e.repeats : 1;
      g_free(sum->message_owned);
      sum->message_owned = more_like_this(sum->e.repeats);
      sum->e.message = sum->message_owned;
      entry_free(en);
      continue;
    }
    en->e.code = icode;
    g_ptr_array_add(to->entries, en);
  }
  g_ptr_array_set_free_func(from->entries, NULL);
  g_ptr_array_set_size(from->entries, 0);
  g_ptr_array_set_free_func(from->entries, entry_free);
  g_hash_table_remove_all(from->code_counts);
  g_hash_table_remove_all(from->summaries);
}

static bool same_entry(const tg_diag_entry *a, const tg_diag_entry *b) {
  return a->severity == b->severity && a->repeats == 0 && b->repeats == 0 &&
         g_strcmp0(a->code, b->code) == 0 && g_strcmp0(a->message, b->message) == 0 &&
         a->span.src == b->span.src && a->span.line == b->span.line && a->span.col == b->span.col &&
         g_strcmp0(a->file, b->file) == 0 && a->row == b->row &&
         g_strcmp0(a->column, b->column) == 0;
}

void tg_diag_take_unique(tg_diag *to, tg_diag *from) {
  guint kept = 0;
  for (guint i = 0; i < from->entries->len; i++) {
    entry *en = g_ptr_array_index(from->entries, i);
    bool dup = false;
    for (guint k = 0; k < to->entries->len && !dup; k++)
      dup = same_entry(&((entry *)g_ptr_array_index(to->entries, k))->e, &en->e);
    for (guint k = 0; k < kept && !dup; k++)
      dup = same_entry(&((entry *)g_ptr_array_index(from->entries, k))->e, &en->e);
    if (dup) {
      entry_free(en);
      continue;
    }
    from->entries->pdata[kept++] = en;
  }
  g_ptr_array_set_free_func(from->entries, NULL);
  g_ptr_array_set_size(from->entries, kept);
  g_ptr_array_set_free_func(from->entries, entry_free);
  tg_diag_take(to, from);
}

const char *tg_severity_name(tg_severity sev) {
  switch (sev) {
  case TG_NOTE: return N_("note");
  case TG_WARNING: return N_("warning");
  case TG_ERROR: return N_("error");
  }
  return "?";
}

const char *tg_diag_kind_name(tg_diag_kind kind) {
  switch (kind) {
  case TG_KIND_SYNTAX: return "syntax";
  case TG_KIND_SCHEMA: return "schema";
  case TG_KIND_DATA: return "data";
  case TG_KIND_LAYOUT: return "layout";
  case TG_KIND_LIMIT: return "limit";
  case TG_KIND_LIBRARY: return "library";
  case TG_KIND_SYSTEM: return "system";
  case TG_KIND_USAGE: return "usage";
  }
  return "?";
}

char *tg_diag_format(const tg_diag_entry *e) {
  GString *out = g_string_new(NULL);
  if (e->span.src) {
    g_string_append_printf(out, "%s:%u:%u: ", tg_source_get_name(e->span.src), e->span.line,
                           e->span.col);
  } else if (e->file) {
    g_string_append(out, e->file);
    if (e->row) g_string_append_printf(out, _(": row %" PRIu64), e->row);
    if (e->column) g_string_append_printf(out, _(", column %s"), e->column);
    g_string_append(out, ": ");
  }
  /* the severity is translated here, not in tg_severity_name() (reports
   * keep the English word) */
  g_string_append_printf(out, "%s: %s", _(tg_severity_name(e->severity)), e->message);
  if (e->code && *e->code) g_string_append_printf(out, " [%s]", e->code);
  g_string_append_c(out, '\n');

  if (e->span.src && e->span.line) {
    size_t len;
    const char *line = tg_source_get_line(e->span.src, e->span.line, &len);
    if (line) {
      char num[16];
      int nw = g_snprintf(num, sizeof num, "%u", e->span.line);
      g_string_append_printf(out, " %s | ", num);
      /* tabs become one space so the caret lines up; a byte that is not
       * UTF-8 and a control character each show as one U+FFFD, so that a
       * broken file never writes raw bytes to the terminal */
      for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = tg_utf8_decode(line + i, len - i, &cp);
        if (cp == '\t')
          g_string_append_c(out, ' ');
        else if (cp == 0xFFFD || cp < 0x20 || cp == 0x7F)
          g_string_append(out, "\xEF\xBF\xBD");
        else
          g_string_append_len(out, line + i, n);
        i += (size_t)n;
      }
      g_string_append_c(out, '\n');
      g_string_append_printf(out, " %*s | ", nw, "");
      /* caret under the span: measure the display width of the text before it */
      const char *p = line, *end = line + len;
      for (uint32_t c = 1; c < e->span.col && p < end; c++) {
        uint32_t cp;
        const char *q = p + tg_utf8_decode(p, (size_t)(end - p), &cp);
        size_t w = cp < 0x20 || cp == 0x7F ? 1 : tg_utf8_display_width(p, (size_t)(q - p));
        for (size_t k = 0; k < w; k++)
          g_string_append_c(out, ' ');
        p = q;
      }
      const char *s = p;
      for (uint32_t c = 0; c < (e->span.len ? e->span.len : 1) && p < end; c++)
        p = tg_utf8_next(p);
      size_t w = tg_utf8_display_width(s, (size_t)(p - s));
      if (w == 0) w = 1;
      g_string_append_c(out, '^');
      for (size_t k = 1; k < w; k++)
        g_string_append_c(out, '~');
      g_string_append_c(out, '\n');
    }
  }
  if (e->hint) g_string_append_printf(out, _("  hint: %s\n"), e->hint);
  return g_string_free(out, FALSE);
}

tg_exit tg_diag_exit_code(const tg_diag *d) {
  tg_exit code = TG_EXIT_OK;
  for (guint i = 0; i < d->entries->len; i++) {
    const tg_diag_entry *e = &((entry *)g_ptr_array_index(d->entries, i))->e;
    if (e->severity != TG_ERROR) continue;
    tg_exit c;
    switch (e->kind) {
    case TG_KIND_SYSTEM:
    case TG_KIND_LIBRARY: c = TG_EXIT_SYSTEM; break;
    case TG_KIND_DATA:
    case TG_KIND_LAYOUT: c = e->span.src ? TG_EXIT_INVALID : TG_EXIT_REJECTED; break;
    case TG_KIND_LIMIT: c = e->row ? TG_EXIT_REJECTED : TG_EXIT_INVALID; break;
    case TG_KIND_USAGE: c = TG_EXIT_USAGE; break;
    default: c = TG_EXIT_INVALID; break;
    }
    /* precedence: system (4) > invalid (3) > usage (2) > rejected (1) */
    if (c > code) code = c;
  }
  return code;
}
