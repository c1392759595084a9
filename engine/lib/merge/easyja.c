/* easyja.c — easy-Japanese (やさしい日本語) checks for `tegami check`.
 *
 * The easy variant of a letter follows the rules collected in
 * shared/research/domain.md §C: short sentences, a reading over every kanji,
 * body text of at least 12 pt and ruby of at least 6 pt.  These functions
 * only look: they warn (never fail a run) with the source span of what they
 * found, and change nothing — 分かち書き spaces stay exactly as written and
 * are not counted as characters of a sentence.
 */
#include "merge/merge_private.h"

#include <string.h>

void tg_easyja_rules_init(tg_easyja_rules *r) {
  r->max_sentence_chars = 30;
  r->min_text_pt = 12.0;
  r->min_ruby_pt = 6.0;
}

static tg_span locate_or_none(tg_span_fn locate, void *user, size_t off, size_t len) {
  return locate ? locate(user, off, len) : TG_SPAN_NONE;
}

/* "10.5", "12", "5.25": points without trailing zeros, never locale-bound. */
static void fmt_pt(char *buf, size_t size, double v) {
  g_ascii_formatd(buf, (gint)size, "%.2f", v);
  char *dot = strchr(buf, '.');
  if (!dot) return;
  char *e = buf + strlen(buf);
  while (e > dot + 1 && e[-1] == '0')
    *--e = '\0';
  if (e == dot + 1) *dot = '\0';
}

static bool ends_sentence(uint32_t cp) {
  return cp == 0x3002 /* 。 */ || cp == 0xFF0E /* ． */ || cp == 0xFF01 /* ！ */ ||
         cp == 0xFF1F /* ？ */ || cp == '!' || cp == '?';
}

static bool closes_quote(uint32_t cp) {
  return cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == ')' || cp == 0x3011 ||
         cp == 0x3009 || cp == 0x300B;
}

static size_t check_sentences(const tg_easyja_rules *r, const char *text, size_t len,
                              tg_span_fn locate, void *user, tg_diag *d) {
  size_t warned = 0, i = 0;
  while (i < len) {
    /* skip spaces and line breaks before the sentence */
    uint32_t cp;
    size_t n;
    while (i < len) {
      n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
      if (merge_char_class(cp) != MERGE_CH_SPACE) break;
      i += n;
    }
    if (i >= len) break;
    size_t start = i, last_end = i, chars = 0;
    bool done = false;
    while (i < len && !done) {
      n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
      if (cp == '\n' || cp == '\r') break;
      i += n;
      if (merge_char_class(cp) != MERGE_CH_SPACE && !merge_is_mark(cp)) {
        chars++;
        last_end = i;
      }
      if (ends_sentence(cp)) {
        /* closing brackets right after the mark belong to the sentence */
        while (i < len) {
          size_t m = (size_t)tg_utf8_decode(text + i, len - i, &cp);
          if (!closes_quote(cp)) break;
          i += m;
          chars++;
          last_end = i;
        }
        done = true;
      }
    }
    if (chars > r->max_sentence_chars) {
      tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "easyja.sentence-too-long",
                 locate_or_none(locate, user, start, last_end - start),
                 "sentence of %zu characters: easy-Japanese sentences have at most %u", chars,
                 r->max_sentence_chars);
      tg_diag_hint(d, "split it into shorter sentences, one idea each (spaces are not counted)");
      warned++;
    }
  }
  return warned;
}

static size_t check_ruby(const char *text, size_t len, const tg_attrs *attrs, tg_span_fn locate,
                         void *user, tg_diag *d) {
  bool *covered = g_new0(bool, len + 1);
  for (size_t k = 0; attrs && k < attrs->n; k++) {
    const tg_attr *a = &attrs->v[k];
    if (a->type != TG_ATTR_RUBY) continue;
    for (size_t b = a->start; b < a->end && b < len; b++)
      covered[b] = true;
  }
  size_t warned = 0, i = 0, run_start = 0, run_end = 0, run_chars = 0;
  bool prev_kanji = false;
  while (i <= len) {
    uint32_t cp = 0;
    size_t n = 1;
    bool bare_kanji = false, mark = false;
    if (i < len) {
      n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
      mark = merge_is_mark(cp);
      bare_kanji = merge_char_class(cp) == MERGE_CH_KANJI && !covered[i];
    }
    if (mark && prev_kanji) { /* a variation selector stays with its kanji */
      run_end = i + n;
      i += n;
      continue;
    }
    if (bare_kanji) {
      if (run_chars == 0) run_start = i;
      run_chars++;
      run_end = i + n;
    } else if (run_chars > 0) {
      tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "easyja.kanji-without-ruby",
                 locate_or_none(locate, user, run_start, run_end - run_start),
                 "%zu kanji without ruby: easy-Japanese text gives a reading for every kanji",
                 run_chars);
      tg_diag_hint(d, "write {漢字|かんじ}, or add the word to locales/ja/readings.tsv");
      warned++;
      run_chars = 0;
    }
    prev_kanji = bare_kanji;
    i += n;
  }
  g_free(covered);
  return warned;
}

static size_t check_size_attrs(const tg_easyja_rules *r, const tg_attrs *attrs, tg_span_fn locate,
                               void *user, tg_diag *d) {
  size_t warned = 0;
  for (size_t k = 0; attrs && k < attrs->n; k++) {
    const tg_attr *a = &attrs->v[k];
    if (a->type != TG_ATTR_SIZE || a->u.size_pt >= r->min_text_pt) continue;
    char have[32], min[32];
    fmt_pt(have, sizeof have, a->u.size_pt);
    fmt_pt(min, sizeof min, r->min_text_pt);
    tg_diag_at(d, TG_WARNING, TG_KIND_LAYOUT, "easyja.text-too-small",
               locate_or_none(locate, user, a->start, a->end - a->start),
               "text size %spt is below the easy-Japanese minimum of %spt", have, min);
    warned++;
  }
  return warned;
}

size_t tg_easyja_check_text(const tg_easyja_rules *r, const char *text, size_t len,
                            const tg_attrs *attrs, tg_span_fn locate, void *user, tg_diag *d) {
  tg_easyja_rules defaults;
  if (!r) {
    tg_easyja_rules_init(&defaults);
    r = &defaults;
  }
  return check_sentences(r, text, len, locate, user, d) +
         check_ruby(text, len, attrs, locate, user, d) +
         check_size_attrs(r, attrs, locate, user, d);
}

size_t tg_easyja_check_size(const tg_easyja_rules *r, double text_pt, double ruby_pt, tg_span span,
                            tg_diag *d) {
  tg_easyja_rules defaults;
  if (!r) {
    tg_easyja_rules_init(&defaults);
    r = &defaults;
  }
  size_t warned = 0;
  char have[32], min[32];
  if (text_pt < r->min_text_pt) {
    fmt_pt(have, sizeof have, text_pt);
    fmt_pt(min, sizeof min, r->min_text_pt);
    tg_diag_at(d, TG_WARNING, TG_KIND_LAYOUT, "easyja.text-too-small", span,
               "text size %spt is below the easy-Japanese minimum of %spt", have, min);
    warned++;
  }
  if (ruby_pt > 0 && ruby_pt < r->min_ruby_pt) {
    fmt_pt(have, sizeof have, ruby_pt);
    fmt_pt(min, sizeof min, r->min_ruby_pt);
    tg_diag_at(d, TG_WARNING, TG_KIND_LAYOUT, "easyja.ruby-too-small", span,
               "ruby size %spt is below the easy-Japanese minimum of %spt", have, min);
    warned++;
  }
  return warned;
}
