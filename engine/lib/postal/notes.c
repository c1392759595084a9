/* notes.c — what a KEN_ALL 町域's note in parentheses means for an address.
 *
 * Japan Post splits a town between codes with notes such as
 *
 *   大通西（１～１９丁目）            丁目 1 to 19
 *   藤野木（１～５００番地）          番地 1 to 500
 *   茂田井（１～５００「２１１番地を除く」「古町」、２５２７～２５２９「土遠」）
 *   東洋（油駒、南東洋、１３２～１５６、１５８～３５４、３６６、３６７番地）
 *   見本町（１丁目、２丁目「３～５番地」、３丁目）
 *   栄町（その他）                    the rest of the town
 *   霞が関（次のビルを除く）          the town without its 高層ビル
 *   霞が関霞が関ビル（地階・階層不明）, …（１階）   one code per floor
 *   旭町（丁目）, 旭町（番地）        written with 丁目 or not
 *
 * A note becomes a list of items separated by 、 (one must hold); an item is
 * a sequence of atoms that must all hold: number ranges of a unit (丁目 / 丁,
 * 番地 / 番, 地割; 以上 and 以降 open the range, N～ too; 88-2 is 番地 88 枝番
 * 2), 小字 names, the words 丁目 番地 無番地 全域, and 「…」 sub-lists (which
 * may end in を除く).  Numbers without a unit take the unit of the next
 * item that has one (１３２～１５６、３６６、３６７番地), else 番地.
 *
 * Anything not understood becomes an UNKNOWN atom, which is "maybe" whatever
 * the address says: a town with such a note is reported ambiguous rather
 * than decided by a guess.  Evaluation is three-valued (yes, maybe, no).
 */
#include "postal/postal_private.h"

#include <string.h>

typedef struct {
  const postal_text *t;
  tg_arena *a;
} parser;

static uint32_t at(const parser *p, size_t i) { return i < p->t->n ? p->t->c[i].cp : 0; }

/* The index of the 」 that closes the 「 at i (nesting counted), or `to`. */
static size_t closing(const parser *p, size_t i, size_t to) {
  int depth = 0;
  for (size_t k = i; k < to; k++) {
    uint32_t c = at(p, k);
    if (c == 0x300C /* 「 */ || c == '(') depth++;
    if ((c == 0x300D /* 」 */ || c == ')') && --depth == 0) return k;
  }
  return to;
}

static postal_atom *grow_atoms(parser *p, postal_item *it) {
  postal_atom *n = tg_arena_alloc(p->a, (it->n + 1) * sizeof *n);
  if (it->n) memcpy(n, it->atoms, it->n * sizeof *n);
  it->atoms = n;
  return &n[it->n++];
}

static bool read_uint(const parser *p, size_t *i, size_t to, uint32_t *v) {
  size_t k = *i;
  uint64_t x = 0;
  while (k < to && postal_is_digit(at(p, k)) && x < 100000000)
    x = x * 10 + (at(p, k++) - '0');
  if (k == *i || (k < to && postal_is_digit(at(p, k)))) return false;
  *i = k;
  *v = (uint32_t)x;
  return true;
}

/* [第]N[-M]: a number with its 枝番. */
static bool read_num(const parser *p, size_t *i, size_t to, postal_num *n) {
  size_t k = *i;
  if (at(p, k) == 0x7B2C /* 第 */) k++;
  if (!read_uint(p, &k, to, &n->main)) return false;
  n->branch = 0;
  if (at(p, k) == '-' && k + 1 < to && postal_is_digit(at(p, k + 1))) {
    k++;
    if (!read_uint(p, &k, to, &n->branch)) return false;
  }
  *i = k;
  return true;
}

/* A unit after a number: 1 丁目, 2 番地/番, 3 地割, 4 号 (not used for
 * codes: unknown); 0 none. */
static int read_unit(const parser *p, size_t *i, size_t to) {
  static const struct {
    const char *text;
    int unit;
  } UNITS[] = {{"丁目", 1}, {"丁", 1}, {"番地", 2}, {"番", 2}, {"地割", 3}, {"号", 4}};
  for (size_t u = 0; u < G_N_ELEMENTS(UNITS); u++) {
    size_t k = postal_text_at(p->t, *i, UNITS[u].text);
    if (k && *i + k <= to) {
      *i += k;
      return UNITS[u].unit;
    }
  }
  return 0;
}

static bool word_is(const parser *p, size_t from, size_t to, const char *w) {
  size_t k = postal_text_at(p->t, from, w);
  return k && from + k == to;
}

static bool word_has(const parser *p, size_t from, size_t to, const char *w) {
  for (size_t i = from; i < to; i++) {
    size_t k = postal_text_at(p->t, i, w);
    if (k && i + k <= to) return true;
  }
  return false;
}

static postal_list *parse_list(parser *p, size_t from, size_t to);

/* One item: atoms until `to`.  A range written without its unit gets unit
 * -1, which the list replaces. */
static void parse_item(parser *p, size_t from, size_t to, postal_item *it) {
  size_t i = from;
  while (i < to) {
    uint32_t c = at(p, i);
    if (c == 0x300C) { /* 「…」 */
      size_t close = closing(p, i, to);
      postal_atom *a = grow_atoms(p, it);
      a->list = close < to ? parse_list(p, i + 1, close) : NULL;
      a->kind = a->list ? POSTAL_ATOM_LIST : POSTAL_ATOM_UNKNOWN;
      i = close < to ? close + 1 : to;
      continue;
    }
    if (postal_is_digit(c) || (c == 0x7B2C && postal_is_digit(at(p, i + 1)))) {
      postal_num lo, hi;
      if (!read_num(p, &i, to, &lo)) break;
      int unit = read_unit(p, &i, to);
      hi = lo;
      if (at(p, i) == '~') {
        i++;
        if (i < to && (postal_is_digit(at(p, i)) || at(p, i) == 0x7B2C)) {
          if (!read_num(p, &i, to, &hi)) break;
          int u2 = read_unit(p, &i, to);
          if (u2) unit = u2;
        } else {
          hi = (postal_num){POSTAL_OPEN, 0};
        }
      }
      size_t k;
      if ((k = postal_text_at(p->t, i, "以上")) || (k = postal_text_at(p->t, i, "以降"))) {
        hi = (postal_num){POSTAL_OPEN, 0};
        i += k;
      }
      postal_atom *a = grow_atoms(p, it);
      if (unit == 4 || (i < to && at(p, i) != 0x300C && !postal_is_digit(at(p, i)))) {
        /* 号, or a unit we do not know right after the number (線, 条, 区 …) */
        a->kind = POSTAL_ATOM_UNKNOWN;
        return;
      }
      a->kind = POSTAL_ATOM_RANGE;
      a->unit = unit == 1   ? POSTAL_UNIT_CHOME
                : unit == 3 ? POSTAL_UNIT_CHIWARI
                            : POSTAL_UNIT_BANCHI;
      a->lo = lo;
      a->hi = hi;
      if (!unit) a->unit = (postal_unit)-1; /* set by the list */
      continue;
    }
    /* a word: up to a number, a 「, or the end */
    size_t j = i;
    while (j < to && at(p, j) != 0x300C && !postal_is_digit(at(p, j)) &&
           !(at(p, j) == 0x7B2C && postal_is_digit(at(p, j + 1))))
      j++;
    postal_atom *a = grow_atoms(p, it);
    a->kind = POSTAL_ATOM_UNKNOWN;
    if (word_is(p, i, j, "丁目"))
      a->kind = POSTAL_ATOM_CHOME;
    else if (word_is(p, i, j, "番地"))
      a->kind = POSTAL_ATOM_BANCHI;
    else if (word_is(p, i, j, "無番地"))
      a->kind = POSTAL_ATOM_NO_NUMBER;
    else if (word_is(p, i, j, "全域"))
      a->kind = POSTAL_ATOM_ALL;
    else {
      static const char *const NOT_NAMES[] = {"除く",   "以上", "以下", "以降", "以外", "場合",
                                              "その他", "階",   "丁目", "番地", "地割", "・",
                                              "~",      "-",    "(",    ")",    "、"};
      bool plain = j > i;
      for (size_t w = 0; plain && w < G_N_ELEMENTS(NOT_NAMES); w++)
        if (word_has(p, i, j, NOT_NAMES[w])) plain = false;
      if (plain) {
        size_t s = i, k;
        if ((k = postal_text_at(p->t, s, "大字")) && s + k < j)
          s += k;
        else if ((k = postal_text_at(p->t, s, "字")) && s + k < j)
          s += k;
        GString *g = g_string_new(NULL);
        postal_text_append(p->t, s, j, g);
        a->kind = POSTAL_ATOM_NAME;
        a->name = tg_arena_strndup(p->a, g->str, g->len);
        g_string_free(g, TRUE);
      }
    }
    if (a->kind == POSTAL_ATOM_UNKNOWN) return;
    i = j;
  }
  if (i < to) { /* stopped early: the rest is not understood */
    postal_atom *a = grow_atoms(p, it);
    a->kind = POSTAL_ATOM_UNKNOWN;
  }
}

/* Items are separated by 、, and by ・ before a number (１・２丁目). */
static bool is_separator(const parser *p, size_t i) {
  uint32_t c = at(p, i);
  if (c == 0x3001) return true;
  return c == 0x30FB && (postal_is_digit(at(p, i + 1)) || at(p, i + 1) == 0x7B2C);
}

/* A list: items separated at the top level, optionally ending in を除く. */
static postal_list *parse_list(parser *p, size_t from, size_t to) {
  if (from >= to) return NULL;
  postal_list *l = tg_arena_alloc(p->a, sizeof *l);
  size_t k = 0;
  for (size_t i = from; i + 3 <= to; i++)
    if ((k = postal_text_at(p->t, i, "を除く")) && i + k == to) {
      l->negated = true;
      to = i;
      break;
    }
  if (from >= to) return NULL;
  /* split at top-level 、 */
  size_t nitems = 1;
  int depth = 0;
  for (size_t i = from; i < to; i++) {
    uint32_t c = at(p, i);
    if (c == 0x300C || c == '(') depth++;
    if ((c == 0x300D || c == ')') && depth > 0) depth--;
    if (is_separator(p, i) && depth == 0) nitems++;
  }
  l->items = tg_arena_alloc(p->a, nitems * sizeof *l->items);
  size_t start = from;
  depth = 0;
  for (size_t i = from; i <= to; i++) {
    uint32_t c = i < to ? at(p, i) : 0;
    if (c == 0x300C || c == '(') depth++;
    if ((c == 0x300D || c == ')') && depth > 0) depth--;
    if (i == to || (depth == 0 && is_separator(p, i))) {
      postal_item *it = &l->items[l->n];
      parse_item(p, start, i, it);
      if (it->n == 0) { /* an empty item (、、): not understood */
        postal_atom *a = grow_atoms(p, it);
        a->kind = POSTAL_ATOM_UNKNOWN;
      }
      l->n++;
      start = i + 1;
    }
  }
  /* numbers without a unit take the unit of the next item that has one (the
   * unit its first range is written with), else 番地 */
  postal_unit carry = POSTAL_UNIT_BANCHI;
  for (size_t n = l->n; n-- > 0;) {
    postal_item *it = &l->items[n];
    for (size_t a = 0; a < it->n; a++)
      if (it->atoms[a].kind == POSTAL_ATOM_RANGE && it->atoms[a].unit != (postal_unit)-1) {
        carry = it->atoms[a].unit;
        break;
      }
    for (size_t a = 0; a < it->n; a++)
      if (it->atoms[a].kind == POSTAL_ATOM_RANGE && it->atoms[a].unit == (postal_unit)-1)
        it->atoms[a].unit = carry;
  }
  return l;
}

postal_list *postal_parse_conditions(const postal_text *t, size_t from, size_t to, tg_arena *a) {
  parser p = {t, a};
  return parse_list(&p, from, to);
}

void postal_parse_note(const char *note, tg_arena *a, postal_note *out) {
  memset(out, 0, sizeof *out);
  if (!note || !*note) return;
  postal_text t = {0};
  postal_fold(&t, note, strlen(note));
  parser p = {&t, a};
  size_t k;
  if (word_is(&p, 0, t.n, "その他")) {
    out->kind = POSTAL_NOTE_OTHER;
  } else if (word_is(&p, 0, t.n, "次のビルを除く")) {
    out->kind = POSTAL_NOTE_EXCEPT_BUILDINGS;
  } else if (word_is(&p, 0, t.n, "地階・階層不明")) {
    out->kind = POSTAL_NOTE_FLOOR;
    out->floor = -1;
  } else if (t.n >= 2 && (k = postal_text_at(&t, t.n - 1, "階")) && postal_is_digit(t.c[0].cp)) {
    size_t i = 0;
    uint32_t v;
    if (read_uint(&p, &i, t.n - 1, &v) && i == t.n - 1 && v > 0 && v < 1000) {
      out->kind = POSTAL_NOTE_FLOOR;
      out->floor = (int)v;
    } else {
      out->kind = POSTAL_NOTE_UNKNOWN;
    }
  } else {
    out->list = parse_list(&p, 0, t.n);
    out->kind = out->list ? POSTAL_NOTE_LIST : POSTAL_NOTE_UNKNOWN;
  }
  postal_text_free(&t);
}

/* ---- evaluation ---------------------------------------------------------------------- */

static int cmp_num(postal_num a, postal_num b) {
  if (a.main != b.main) return a.main < b.main ? -1 : 1;
  if (a.branch != b.branch) return a.branch < b.branch ? -1 : 1;
  return 0;
}

static postal_tri eval_range(const postal_atom *a, const postal_facts *f) {
  const postal_numbers *n = &f->num;
  int32_t main = a->unit == POSTAL_UNIT_CHOME     ? n->chome
                 : a->unit == POSTAL_UNIT_CHIWARI ? n->chiwari
                                                  : n->banchi;
  if (main < 0) return POSTAL_MAYBE;
  uint32_t m = (uint32_t)main;
  if (m < a->lo.main || (a->hi.main != POSTAL_OPEN && m > a->hi.main)) return POSTAL_NO;
  bool on_lo = m == a->lo.main && a->lo.branch, on_hi = m == a->hi.main && a->hi.branch;
  if (!on_lo && !on_hi) return POSTAL_YES;
  /* the range starts or ends inside this 番地: its 枝番 decides */
  if (a->unit != POSTAL_UNIT_BANCHI || n->branch < 0) return POSTAL_MAYBE;
  postal_num v = {m, (uint32_t)n->branch};
  if (on_lo && cmp_num(v, a->lo) < 0) return POSTAL_NO;
  if (on_hi && cmp_num(v, a->hi) > 0) return POSTAL_NO;
  return POSTAL_YES;
}

static postal_tri eval_atom(const postal_atom *a, const postal_facts *f) {
  const postal_numbers *n = &f->num;
  switch (a->kind) {
  case POSTAL_ATOM_RANGE: return eval_range(a, f);
  case POSTAL_ATOM_NAME:
    if (!f->listed_name) return POSTAL_MAYBE; /* 小字 are often left out */
    return strcmp(f->listed_name, a->name) == 0 ? POSTAL_YES : POSTAL_NO;
  case POSTAL_ATOM_CHOME:
    if (n->chome >= 0) return POSTAL_YES;
    return n->banchi_written ? POSTAL_NO : POSTAL_MAYBE;
  case POSTAL_ATOM_BANCHI:
    if (n->chome_written) return POSTAL_NO;
    return n->banchi_written ? POSTAL_YES : POSTAL_MAYBE;
  case POSTAL_ATOM_NO_NUMBER: return n->any_number ? POSTAL_NO : POSTAL_YES;
  case POSTAL_ATOM_ALL: return POSTAL_YES;
  case POSTAL_ATOM_LIST: return postal_eval_list(a->list, f);
  case POSTAL_ATOM_UNKNOWN: return POSTAL_MAYBE;
  }
  return POSTAL_MAYBE;
}

postal_tri postal_eval_list(const postal_list *l, const postal_facts *f) {
  if (!l) return POSTAL_MAYBE;
  postal_tri any = POSTAL_NO;
  for (size_t i = 0; i < l->n; i++) {
    postal_tri all = POSTAL_YES;
    for (size_t k = 0; k < l->items[i].n && all != POSTAL_NO; k++)
      all = postal_and(all, eval_atom(&l->items[i].atoms[k], f));
    any = postal_or(any, all);
  }
  if (l->negated)
    any = any == POSTAL_YES ? POSTAL_NO : any == POSTAL_NO ? POSTAL_YES : POSTAL_MAYBE;
  return any;
}

static bool is_chome_atom(const postal_atom *a) {
  return (a->kind == POSTAL_ATOM_RANGE && a->unit == POSTAL_UNIT_CHOME) ||
         a->kind == POSTAL_ATOM_CHOME;
}

static bool is_banchi_atom(const postal_atom *a) {
  return (a->kind == POSTAL_ATOM_RANGE && a->unit == POSTAL_UNIT_BANCHI) ||
         a->kind == POSTAL_ATOM_BANCHI;
}

static void units(const postal_list *l, bool in_chome, bool *chome, bool *banchi_alone) {
  for (size_t i = 0; l && i < l->n; i++) {
    const postal_item *it = &l->items[i];
    bool c = in_chome;
    for (size_t k = 0; k < it->n; k++)
      if (is_chome_atom(&it->atoms[k])) c = *chome = true;
    for (size_t k = 0; k < it->n; k++) {
      if (is_banchi_atom(&it->atoms[k]) && !c) *banchi_alone = true;
      if (it->atoms[k].kind == POSTAL_ATOM_LIST) units(it->atoms[k].list, c, chome, banchi_alone);
    }
  }
}

void postal_list_units(const postal_list *l, bool *chome, bool *banchi_alone) {
  units(l, false, chome, banchi_alone);
}

void postal_list_names(const postal_list *l, GPtrArray *out) {
  for (size_t i = 0; l && i < l->n; i++)
    for (size_t k = 0; k < l->items[i].n; k++) {
      const postal_atom *a = &l->items[i].atoms[k];
      if (a->kind == POSTAL_ATOM_NAME) g_ptr_array_add(out, (gpointer)a->name);
      if (a->kind == POSTAL_ATOM_LIST) postal_list_names(a->list, out);
    }
}
