/* furigana.c — automatic furigana: readings for the kanji of design text.
 *
 * Readings come, in this order of precedence, from ruby already on the text
 * (explicit markup), the project reading dictionary (locales/ja/readings.tsv
 * and any added dictionary), the counter table for kanji right after Arabic
 * digits (locales/ja/counters.tsv: 月 がつ in 10月) and finally MeCab with its
 * system dictionary (mecab-ipadic-utf8 by default).  Ranges fixed by the first
 * three are passed to MeCab as token boundaries, so its analysis of the rest
 * agrees with them.  Each reading is aligned with its word so that ruby
 * covers kanji runs only (ruby_align_reading in kana.c).
 *
 * Thread safety: a tg_furigana is read-only once built; MeCab's model and
 * tagger are shared and each tg_furigana_annotate() call parses in its own
 * lattice.  docs/furigana.md describes the dictionary format and the rules.
 */
#include "ruby/ruby_private.h"

#include <mecab.h>
#include <string.h>

#ifndef TG_MECAB_DICDIR
#define TG_MECAB_DICDIR "/var/lib/mecab/dic/ipadic-utf8"
#endif

#define MAX_DICT_BYTES (4u * 1024 * 1024)

/* ---- reading dictionaries ------------------------------------------------------ */

typedef struct {
  uint32_t start, end; /* bytes of the word */
  char *ruby;
} wpiece;

typedef struct {
  char *surface;
  bool no_ruby; /* "-": the word never gets ruby */
  /* the word starts (ends) with a single kanji: it must not touch another
   * kanji on that side (値 is あたい alone but ち in 基準値) */
  bool lone_start, lone_end;
  GArray *pieces; /* wpiece */
} word;

typedef struct {
  GHashTable *map; /* surface → word* (owned) */
  size_t max_bytes;
} wordset;

struct tg_furigana {
  mecab_model_t *model;
  mecab_t *tagger;
  wordset words;    /* readings.tsv and added dictionaries */
  wordset counters; /* counters.tsv: kanji after digits */
};

static void word_free(gpointer p) {
  word *w = p;
  for (guint i = 0; i < w->pieces->len; i++)
    g_free(g_array_index(w->pieces, wpiece, i).ruby);
  g_array_free(w->pieces, TRUE);
  g_free(w->surface);
  g_free(w);
}

static void wordset_init(wordset *ws) {
  ws->map = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, word_free);
  ws->max_bytes = 0;
}

/* Where a field of a dictionary line is, for diagnostics (and for the ruby
 * markup parser's locate callback). */
typedef struct {
  const tg_source *src;
  uint32_t line;
  const char *line_text;
  size_t field_off; /* byte offset of the field in the line */
} field_loc;

static tg_span field_span(void *user, size_t off, size_t len) {
  const field_loc *L = user;
  size_t at = L->field_off + off;
  tg_span sp = {.src = L->src, .line = L->line};
  sp.col = (uint32_t)tg_utf8_count(L->line_text, at) + 1;
  sp.len = (uint32_t)tg_utf8_count(L->line_text + at, len);
  if (sp.len == 0) sp.len = 1;
  return sp;
}

static void dict_err(field_loc *L, size_t off, size_t len, const char *code, const char *hint,
                     const char *msg, tg_diag *d) {
  tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, code, field_span(L, off, len), "%s", _(msg));
  if (hint) tg_diag_hint(d, "%s", _(hint));
}

/* Parse one reading field into w; false (reported) if it is not valid. */
static bool parse_reading(word *w, const char *rd, size_t rlen, field_loc *L, tg_diag *d) {
  size_t slen = strlen(w->surface);
  if (rlen == 1 && rd[0] == '-') {
    w->no_ruby = true;
    return true;
  }
  if (memchr(rd, '{', rlen)) {
    tg_ruby_text *rt = tg_ruby_markup_parse(rd, rlen, field_span, L, d);
    if (!rt) return false;
    size_t plen;
    const char *plain = tg_ruby_text_get_text(rt, &plen);
    bool ok = plen == slen && memcmp(plain, w->surface, slen) == 0;
    if (!ok) {
      dict_err(L, 0, rlen, "furigana.dict-markup", NULL,
               "the ruby markup does not spell the word of the first column", d);
    } else {
      const tg_attrs *a = tg_ruby_text_get_attrs(rt);
      for (size_t i = 0; i < a->n; i++) {
        wpiece p = {a->v[i].start, a->v[i].end, g_strdup(a->v[i].u.ruby)};
        g_array_append_val(w->pieces, p);
      }
    }
    tg_ruby_text_free(rt);
    return ok;
  }
  if (!tg_text_is_kana(rd, rlen)) {
    dict_err(L, 0, rlen, "furigana.dict-reading",
             N_("write the reading in kana, '-' for no ruby, or as ruby markup {base|reading}"),
             "the reading is not kana", d);
    return false;
  }
  GString *h = g_string_new(NULL);
  ruby_kana_to_hiragana(rd, rlen, h);
  GArray *pieces = g_array_new(FALSE, FALSE, sizeof(ruby_piece));
  bool ok = !tg_text_has_kanji(w->surface, slen) ||
            ruby_align_reading(w->surface, slen, h->str, h->len, false, pieces);
  if (!ok) {
    dict_err(L, 0, rlen, "furigana.dict-align",
             N_("the word's kana must appear in the reading as written; for a word with digits or "
                "Latin letters, say what the reading covers with ruby markup {base|reading}"),
             "the reading does not fit the word", d);
  }
  for (guint i = 0; ok && i < pieces->len; i++) {
    ruby_piece *mp = &g_array_index(pieces, ruby_piece, i);
    wpiece p = {mp->start, mp->end, g_strndup(h->str + mp->rstart, mp->rend - mp->rstart)};
    g_array_append_val(w->pieces, p);
  }
  g_array_free(pieces, TRUE);
  g_string_free(h, TRUE);
  return ok;
}

/* Is the kanji run at each end of the word one kanji long? */
static void edge_runs(word *w) {
  size_t len = strlen(w->surface), lead = 0, run = 0, i = 0;
  bool leading = true;
  while (i < len) {
    uint32_t cp;
    i += (size_t)tg_utf8_decode(w->surface + i, len - i, &cp);
    if (tg_char_is_mark(cp)) continue;
    if (tg_char_get_class(cp) == TG_CHAR_KANJI) {
      run++;
      if (leading) lead++;
    } else {
      run = 0;
      leading = false;
    }
  }
  w->lone_start = lead == 1;
  w->lone_end = run == 1; /* the kanji run the word ends with */
}

/* Read a dictionary: "word<TAB>reading[<TAB>note]" lines, '#' comments. */
static bool load_dictionary(wordset *ws, const tg_source *src, tg_diag *d) {
  bool ok = true;
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free); /* → line */
  for (uint32_t ln = 1; ln <= tg_source_get_line_count(src); ln++) {
    size_t len;
    const char *line = tg_source_get_line(src, ln, &len);
    if (!line) continue;
    size_t a = 0;
    while (a < len && (line[a] == ' ' || line[a] == '\t'))
      a++;
    if (a == len || line[a] == '#') continue;
    field_loc L = {.src = src, .line = ln, .line_text = line, .field_off = 0};
    const char *tab = memchr(line, '\t', len);
    if (!tab || tab == line) {
      dict_err(&L, 0, len, "furigana.dict-syntax",
               N_("write the word, a tab, and its reading (or '-' for no ruby)"),
               "expected a word, a tab and its reading", d);
      ok = false;
      continue;
    }
    size_t slen = (size_t)(tab - line);
    const char *rd = tab + 1;
    const char *tab2 = memchr(rd, '\t', len - slen - 1);
    size_t rlen = tab2 ? (size_t)(tab2 - rd) : len - slen - 1;
    bool bad_surface = false;
    for (size_t i = 0; i < slen;) {
      uint32_t cp;
      i += (size_t)tg_utf8_decode(line + i, slen - i, &cp);
      if (tg_char_get_class(cp) == TG_CHAR_SPACE || cp == '{' || cp == '}' || cp == '|')
        bad_surface = true;
    }
    if (bad_surface) {
      dict_err(&L, 0, slen, "furigana.dict-syntax", NULL,
               "a dictionary word cannot contain spaces or { } |", d);
      ok = false;
      continue;
    }
    if (rlen == 0) {
      L.field_off = slen;
      dict_err(&L, 0, 1, "furigana.dict-syntax", N_("write '-' for a word that gets no ruby"),
               "the reading is empty", d);
      ok = false;
      continue;
    }
    char *surface = g_strndup(line, slen);
    uint32_t *first = g_hash_table_lookup(seen, surface);
    if (first) {
      char msg[96];
      g_snprintf(msg, sizeof msg, _("this word is already listed at line %u"), *first);
      dict_err(&L, 0, slen, "furigana.dict-duplicate", NULL, msg, d);
      g_free(surface);
      ok = false;
      continue;
    }
    uint32_t *lnp = g_new(uint32_t, 1);
    *lnp = ln;
    g_hash_table_insert(seen, g_strdup(surface), lnp);
    word *w = g_new0(word, 1);
    w->surface = surface;
    w->pieces = g_array_new(FALSE, FALSE, sizeof(wpiece));
    L.field_off = slen + 1;
    if (!parse_reading(w, rd, rlen, &L, d)) {
      word_free(w);
      ok = false;
      continue;
    }
    edge_runs(w);
    g_hash_table_replace(ws->map, w->surface, w);
    if (slen > ws->max_bytes) ws->max_bytes = slen;
  }
  g_hash_table_destroy(seen);
  return ok;
}

static bool add_source(wordset *ws, const tg_source *src, tg_diag *d) {
  return load_dictionary(ws, src, d);
}

bool tg_furigana_add_dictionary_text(tg_furigana *f, const char *name, const char *text, size_t len,
                                     tg_diag *d) {
  tg_source *src = tg_source_new(name, text, len);
  bool ok = add_source(&f->words, src, d);
  tg_source_free(src);
  return ok;
}

bool tg_furigana_add_dictionary(tg_furigana *f, const char *path, tg_diag *d) {
  tg_source *src = tg_source_load(path, MAX_DICT_BYTES, d);
  if (!src) return false;
  bool ok = add_source(&f->words, src, d);
  tg_source_free(src);
  return ok;
}

/* ---- MeCab ------------------------------------------------------------------------ */

tg_furigana *tg_furigana_new(const tg_furigana_options *opt, tg_diag *d) {
  const char *dicdir = opt && opt->mecab_dicdir ? opt->mecab_dicdir : TG_MECAB_DICDIR;
  tg_furigana *f = g_new0(tg_furigana, 1);
  wordset_init(&f->words);
  wordset_init(&f->counters);
  /* "-r /dev/null": no mecabrc (system or user) can change the analysis */
  char *argv[] = {"tegami", "-r", "/dev/null", "-d", (char *)dicdir, NULL};
  f->model = mecab_model_new(5, argv);
  if (!f->model) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "furigana.mecab",
                "MeCab cannot load its dictionary from %s: %s", dicdir, mecab_strerror(NULL));
    tg_diag_hint(d, "install the Debian package mecab-ipadic-utf8");
    tg_furigana_free(f);
    return NULL;
  }
  const mecab_dictionary_info_t *di = mecab_model_dictionary_info(f->model);
  if (!di || !di->charset ||
      (g_ascii_strcasecmp(di->charset, "UTF-8") != 0 && g_ascii_strcasecmp(di->charset, "utf8"))) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "furigana.mecab",
                "the MeCab dictionary in %s is not UTF-8 (%s)", dicdir,
                di && di->charset ? di->charset : "unknown");
    tg_diag_hint(d, "use mecab-ipadic-utf8, not mecab-ipadic");
    tg_furigana_free(f);
    return NULL;
  }
  f->tagger = mecab_model_new_tagger(f->model);
  if (!f->tagger) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "furigana.mecab", "MeCab cannot start: %s",
                mecab_strerror(NULL));
    tg_furigana_free(f);
    return NULL;
  }
  if (opt && opt->locale_dir) {
    bool ok = true;
    char *path = g_build_filename(opt->locale_dir, "readings.tsv", NULL);
    ok = tg_furigana_add_dictionary(f, path, d) && ok;
    g_free(path);
    path = g_build_filename(opt->locale_dir, "counters.tsv", NULL);
    if (g_file_test(path, G_FILE_TEST_EXISTS)) {
      tg_source *src = tg_source_load(path, MAX_DICT_BYTES, d);
      ok = src && add_source(&f->counters, src, d) && ok;
      tg_source_free(src);
    }
    g_free(path);
    if (!ok) {
      tg_furigana_free(f);
      return NULL;
    }
  }
  return f;
}

tg_furigana *tg_furigana_new_from_data_dir(tg_diag *d) {
  char *dir = g_build_filename(tg_data_dir(), "locales", "ja", NULL);
  tg_furigana_options fo = {.locale_dir = dir};
  tg_furigana *f = tg_furigana_new(&fo, d);
  g_free(dir);
  return f;
}

void tg_furigana_free(tg_furigana *f) {
  if (!f) return;
  if (f->tagger) mecab_destroy(f->tagger);
  if (f->model) mecab_model_destroy(f->model);
  g_hash_table_destroy(f->words.map);
  g_hash_table_destroy(f->counters.map);
  g_free(f);
}

/* ---- annotation ------------------------------------------------------------------- */

typedef struct {
  uint32_t start, end; /* bytes of the piece of text */
  const word *w;       /* NULL: explicit ruby already in the list */
} fixed;

typedef struct {
  uint32_t start, end;
  const char *reading; /* hiragana, or NULL when MeCab has none */
} token;

typedef struct {
  const tg_furigana *f;
  const char *s;
  size_t len;
  GArray *fx;  /* fixed */
  GArray *tok; /* token */
  GStringChunk *readings;
  mecab_lattice_t *lat;
  bool *tb;           /* byte positions where a token starts or ends */
  bool *cb;           /* byte positions where the character class changes */
  bool *is_start;     /* byte positions where a character starts (and len) */
  tg_char_class *cls; /* class of the character starting at a byte */
} annot;

static bool overlaps_fixed(const annot *A, uint32_t s, uint32_t e) {
  for (guint i = 0; i < A->fx->len; i++) {
    const fixed *x = &g_array_index(A->fx, fixed, i);
    if (x->start < e && s < x->end) return true;
  }
  return false;
}

/* Field `idx` of a MeCab feature string (CSV with quotes), or NULL. */
static bool feature_field(const char *feat, int idx, const char **out, size_t *outlen,
                          int *nfields) {
  int k = 0;
  const char *p = feat;
  bool found = false;
  while (true) {
    const char *start = p, *end;
    if (*p == '"') {
      start = ++p;
      while (*p && !(*p == '"' && p[1] != '"'))
        p += (*p == '"') ? 2 : 1;
      end = p;
      if (*p == '"') p++;
    } else {
      while (*p && *p != ',')
        p++;
      end = p;
    }
    if (k == idx) {
      *out = start;
      *outlen = (size_t)(end - start);
      found = true;
    }
    k++;
    if (*p != ',') break;
    p++;
  }
  *nfields = k;
  return found;
}

/* The reading of a node as hiragana: field 7 of ipadic-style features
 * (9 fields), field 20 ("kana") of UniDic (21 fields or more). */
static const char *node_reading(annot *A, const char *feat) {
  const char *r;
  size_t rl;
  int nf;
  feature_field(feat, 0, &r, &rl, &nf);
  int idx = nf >= 21 ? 20 : nf == 9 ? 7 : -1;
  if (idx < 0 || !feature_field(feat, idx, &r, &rl, &nf)) return NULL;
  if (rl == 0 || (rl == 1 && r[0] == '*') || !tg_text_is_kana(r, rl)) return NULL;
  GString *h = g_string_new(NULL);
  ruby_kana_to_hiragana(r, rl, h);
  const char *s = g_string_chunk_insert_len(A->readings, h->str, (gssize)h->len);
  g_string_free(h, TRUE);
  return s;
}

/* Run MeCab over each line with a kanji, token boundaries forced at the
 * edges of fixed ranges. */
static bool analyse(annot *A, tg_diag *d) {
  g_array_set_size(A->tok, 0);
  memset(A->tb, 0, A->len + 1);
  size_t ls = 0;
  while (ls < A->len) {
    size_t le = ls;
    while (le < A->len && A->s[le] != '\n' && A->s[le] != '\r')
      le++;
    if (le > ls && tg_text_has_kanji(A->s + ls, le - ls)) {
      mecab_lattice_set_sentence2(A->lat, A->s + ls, le - ls);
      for (guint i = 0; i < A->fx->len; i++) {
        const fixed *x = &g_array_index(A->fx, fixed, i);
        if (x->start > ls && x->start < le)
          mecab_lattice_set_boundary_constraint(A->lat, x->start - ls, MECAB_TOKEN_BOUNDARY);
        if (x->end > ls && x->end < le)
          mecab_lattice_set_boundary_constraint(A->lat, x->end - ls, MECAB_TOKEN_BOUNDARY);
      }
      if (!mecab_parse_lattice(A->f->tagger, A->lat)) {
        if (d)
          tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "furigana.mecab", "MeCab failed: %s",
                      mecab_lattice_strerror(A->lat));
        return false;
      }
      const char *sent = mecab_lattice_get_sentence(A->lat);
      for (const mecab_node_t *n = mecab_lattice_get_bos_node(A->lat); n; n = n->next) {
        if (n->stat != MECAB_NOR_NODE && n->stat != MECAB_UNK_NODE) continue;
        if (n->length == 0) continue;
        token t = {.start = (uint32_t)(ls + (size_t)(n->surface - sent))};
        t.end = t.start + n->length;
        if (t.end > le) continue;
        t.reading = node_reading(A, n->feature);
        g_array_append_val(A->tok, t);
        A->tb[t.start] = A->tb[t.end] = true;
      }
      mecab_lattice_clear(A->lat);
    }
    ls = le + 1;
  }
  return true;
}

static bool boundary_at(const annot *A, size_t p) {
  return p == 0 || p >= A->len || A->tb[p] || A->cb[p];
}

static bool kanji_before(const annot *A, size_t p) {
  if (p == 0) return false;
  size_t q = p;
  do
    q--;
  while (q > 0 && !A->is_start[q]);
  return A->cls[q] == TG_CHAR_KANJI;
}

/* The longest word of ws at byte p that ends on a boundary (when
 * need_boundary) and overlaps no fixed range; its end in *end_out. */
static const word *longest_word(const annot *A, const wordset *ws, size_t p, bool need_boundary,
                                size_t *end_out, GString *key) {
  const word *best = NULL;
  size_t q = p;
  g_string_truncate(key, 0);
  while (q < A->len && q - p < ws->max_bytes) {
    size_t n = (size_t)(tg_utf8_next(A->s + q) - (A->s + q));
    if (n == 0) break;
    g_string_append_len(key, A->s + q, (gssize)n);
    q += n;
    if (q > A->len || !A->is_start[q]) continue; /* inside a character */
    if (need_boundary && !boundary_at(A, q)) continue;
    const word *w = g_hash_table_lookup(ws->map, key->str);
    if (w && need_boundary &&
        ((w->lone_start && kanji_before(A, p)) ||
         (w->lone_end && q < A->len && A->cls[q] == TG_CHAR_KANJI)))
      continue;
    if (w && !overlaps_fixed(A, (uint32_t)p, (uint32_t)q)) {
      best = w;
      *end_out = q;
    }
  }
  return best;
}

/* Is the character at p preceded by a blank to write in: two or more spaces
 * (ASCII or ideographic) after other text on the same line?  (Not an
 * indent, not a 分かち書き space.) */
static bool blank_before(const annot *A, size_t p) {
  size_t q = p, spaces = 0;
  while (q > 0) {
    size_t r = q;
    do
      r--;
    while (r > 0 && !A->is_start[r]);
    if (A->s[r] == '\n' || A->s[r] == '\r') return false;
    if (A->cls[r] != TG_CHAR_SPACE) return spaces >= 2;
    spaces++;
    q = r;
  }
  return false;
}

/* 年 月 日 時 分 — the units a form's blanks are for. */
static bool is_date_unit(const char *s, size_t len) {
  static const char *const UNITS[] = {"年", "月", "日", "時", "分"};
  for (size_t i = 0; i < G_N_ELEMENTS(UNITS); i++)
    if (len >= 3 && memcmp(s, UNITS[i], 3) == 0) return true;
  return false;
}

/* The one character at s as a lookup key. */
static const char *unit_key(const char *s, GString *key) {
  g_string_truncate(key, 0);
  g_string_append_len(key, s, tg_utf8_next(s) - s);
  return key->str;
}

static void add_fixed(annot *A, uint32_t s, uint32_t e, const word *w) {
  fixed x = {s, e, w};
  g_array_append_val(A->fx, x);
}

bool tg_furigana_annotate_numbers(const tg_furigana *f, const char *text, size_t len,
                                  uint32_t offset, tg_attr_list *attrs) {
  bool added = false;
  GString *key = g_string_new(NULL);
  bool after_digit = false;
  for (size_t p = 0; p < len;) {
    uint32_t cp;
    size_t n = (size_t)tg_utf8_decode(text + p, len - p, &cp);
    tg_char_class c = tg_char_get_class(cp);
    if (after_digit && c != TG_CHAR_DIGIT) {
      /* the longest counter starting here, on character boundaries */
      const word *best = NULL;
      size_t best_end = p;
      g_string_truncate(key, 0);
      for (size_t q = p; q < len && q - p < f->counters.max_bytes;) {
        size_t m = (size_t)(tg_utf8_next(text + q) - (text + q));
        if (m == 0 || q + m > len) break;
        g_string_append_len(key, text + q, (gssize)m);
        q += m;
        const word *w = g_hash_table_lookup(f->counters.map, key->str);
        if (w) {
          best = w;
          best_end = q;
        }
      }
      if (best && !best->no_ruby) {
        for (guint k = 0; k < best->pieces->len; k++) {
          const wpiece *wp = &g_array_index(best->pieces, wpiece, k);
          added |=
              tg_attr_list_add_ruby(attrs, offset + (uint32_t)(p + wp->start),
                                    offset + (uint32_t)(p + wp->end), wp->ruby, strlen(wp->ruby));
        }
        p = best_end;
        after_digit = false;
        continue;
      }
    }
    after_digit = c == TG_CHAR_DIGIT;
    p += n;
  }
  g_string_free(key, TRUE);
  return added;
}

bool tg_furigana_annotate(const tg_furigana *f, const char *text, size_t len, uint32_t offset,
                          tg_attr_list *attrs, tg_diag *d) {
  if (!tg_text_has_kanji(text, len)) return true;
  annot A = {.f = f, .s = text, .len = len};
  A.fx = g_array_new(FALSE, FALSE, sizeof(fixed));
  A.tok = g_array_new(FALSE, FALSE, sizeof(token));
  A.readings = g_string_chunk_new(256);
  A.tb = g_new0(bool, len + 1);
  A.cb = g_new0(bool, len + 1);
  A.is_start = g_new0(bool, len + 1);
  A.cls = g_new0(tg_char_class, len + 1);
  GString *key = g_string_new(NULL);
  bool ok = true;

  /* characters, their classes and where the class changes */
  tg_char_class prev = TG_CHAR_SPACE;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
    tg_char_class c = (i > 0 && tg_char_is_mark(cp)) ? prev : tg_char_get_class(cp);
    A.is_start[i] = true;
    A.cls[i] = c;
    A.cb[i] = i == 0 || c != prev;
    prev = c;
    i += n;
  }
  A.is_start[len] = A.cb[len] = true;

  /* 1. explicit ruby already on the text */
  const tg_attrs *have = tg_attr_list_get(attrs);
  for (size_t i = 0; i < have->n; i++) {
    const tg_attr *a = &have->v[i];
    if (a->type != TG_ATTR_RUBY || a->end <= offset || a->start >= offset + len) continue;
    uint32_t s = a->start > offset ? a->start - offset : 0;
    uint32_t e = a->end - offset < len ? a->end - offset : (uint32_t)len;
    add_fixed(&A, s, e, NULL);
  }
  /* 2. counters right after Arabic digits, and the date and time units of a
   * form's blanks ("受診日　　　月　　　日": a number is written there) */
  for (size_t p = 1; p < len; p++) {
    if (!A.is_start[p] || A.cls[p] == TG_CHAR_DIGIT) continue;
    size_t q = p;
    do
      q--;
    while (q > 0 && !A.is_start[q]);
    bool after_blank = false;
    if (A.cls[q] != TG_CHAR_DIGIT) {
      if (!blank_before(&A, p) || !is_date_unit(text + p, len - p)) continue;
      after_blank = true;
    }
    size_t end = p + (size_t)(tg_utf8_next(text + p) - (text + p));
    const word *w = after_blank ? g_hash_table_lookup(f->counters.map, unit_key(text + p, key))
                                : longest_word(&A, &f->counters, p, false, &end, key);
    if (w) add_fixed(&A, (uint32_t)p, (uint32_t)end, w);
  }
  A.lat = mecab_model_new_lattice(f->model);
  ok = analyse(&A, d);
  /* 3. dictionary words on word or script boundaries */
  bool again = false;
  for (size_t p = 0; ok && p < len;) {
    if (A.is_start[p] && boundary_at(&A, p) && !overlaps_fixed(&A, (uint32_t)p, (uint32_t)p + 1)) {
      size_t end;
      const word *w = longest_word(&A, &f->words, p, true, &end, key);
      if (w) {
        add_fixed(&A, (uint32_t)p, (uint32_t)end, w);
        if (!A.tb[p] || !A.tb[end]) again = true;
        p = end;
        continue;
      }
    }
    p++;
  }
  if (ok && again) ok = analyse(&A, d);
  /* 4. ruby from the dictionary, the counters, then MeCab's tokens */
  for (guint i = 0; ok && i < A.fx->len; i++) {
    const fixed *x = &g_array_index(A.fx, fixed, i);
    if (!x->w || x->w->no_ruby) continue;
    for (guint k = 0; k < x->w->pieces->len; k++) {
      const wpiece *p = &g_array_index(x->w->pieces, wpiece, k);
      tg_attr_list_add_ruby(attrs, offset + x->start + p->start, offset + x->start + p->end,
                            p->ruby, strlen(p->ruby));
    }
  }
  GArray *pieces = g_array_new(FALSE, FALSE, sizeof(ruby_piece));
  for (guint i = 0; ok && i < A.tok->len; i++) {
    const token *t = &g_array_index(A.tok, token, i);
    if (!t->reading || overlaps_fixed(&A, t->start, t->end) ||
        !tg_text_has_kanji(text + t->start, t->end - t->start))
      continue;
    g_array_set_size(pieces, 0);
    if (!ruby_align_reading(text + t->start, t->end - t->start, t->reading, strlen(t->reading),
                            true, pieces))
      continue;
    for (guint k = 0; k < pieces->len; k++) {
      const ruby_piece *p = &g_array_index(pieces, ruby_piece, k);
      tg_attr_list_add_ruby(attrs, offset + t->start + p->start, offset + t->start + p->end,
                            t->reading + p->rstart, p->rend - p->rstart);
    }
  }
  g_array_free(pieces, TRUE);
  mecab_lattice_destroy(A.lat);
  g_array_free(A.fx, TRUE);
  g_array_free(A.tok, TRUE);
  g_string_chunk_free(A.readings);
  g_free(A.tb);
  g_free(A.cb);
  g_free(A.is_start);
  g_free(A.cls);
  g_string_free(key, TRUE);
  return ok;
}
