/* measure.c — how well the derivation does: every row of a dictionary turned
 * back into an address and derived again.
 *
 * For each row we write what a municipal list would hold for someone living
 * there: prefecture + city + town + a 丁目/番地 inside the row's conditions
 * (and the 小字 they name), for a 高層ビル row its building and floor, for
 * 以下に掲載がない場合 and 一円 rows a 番地 right after the city.  The way
 * it is written rotates with the row's position, so that every form is
 * exercised on every file: 1丁目2番3号, 一丁目二番三号, １－２－３, 1-2-3,
 * 1丁目2-3, 123番地, 123番地4, 123-4; ヶ written ケ; 大字 before a village's
 * town; a blank after the city; no prefecture (with the hint); neither
 * prefecture nor city (with the hint).  A row whose notes we cannot satisfy
 * with certainty is skipped (counted), never given an address that might lie
 * outside it — otherwise "wrong" would not mean wrong.
 *
 * Outcomes: decided (the row's own code), wrong (decided, another code),
 * ambiguous, not found.  Wrong must be 0 (tests/unit/test_postal_measure.c).
 */
#include "postal/postal_private.h"

#include <string.h>

/* ---- writing numbers ------------------------------------------------------------------ */

typedef enum { NUM_ASCII, NUM_WIDE, NUM_KANJI } num_style;

static void put_digits(GString *out, uint32_t v, bool wide) {
  char buf[16];
  g_snprintf(buf, sizeof buf, "%u", v);
  for (const char *p = buf; *p; p++)
    if (wide)
      tg_utf8_append(out, 0xFF10 + (uint32_t)(*p - '0'));
    else
      g_string_append_c(out, *p);
}

/* 12 → 十二, 305 → 三百五, 2000 → 二千 */
static void put_kanji(GString *out, uint32_t v) {
  static const char *const D[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (v == 0 || v > 9999) {
    put_digits(out, v, false);
    return;
  }
  static const struct {
    uint32_t unit;
    const char *name;
  } U[] = {{1000, "千"}, {100, "百"}, {10, "十"}};
  for (size_t i = 0; i < G_N_ELEMENTS(U); i++) {
    uint32_t d = v / U[i].unit;
    v %= U[i].unit;
    if (!d) continue;
    if (d > 1) g_string_append(out, D[d]);
    g_string_append(out, U[i].name);
  }
  if (v) g_string_append(out, D[v]);
}

static void put_num(GString *out, uint32_t v, num_style s) {
  if (s == NUM_KANJI)
    put_kanji(out, v);
  else
    put_digits(out, v, s == NUM_WIDE);
}

/* ---- samples ------------------------------------------------------------------------ */

/* What an address says after its town. */
typedef struct {
  int32_t chome, banchi, branch, chiwari; /* -1: not written */
  const char *name;                       /* a 小字, folded (written after 字), or NULL */
  bool none;                              /* no number at all */
} sample;

static const sample EMPTY = {-1, -1, -1, -1, NULL, false};

/* Fill s from an item's atoms (the first value of each range). */
static bool from_item(const postal_item *it, sample *s) {
  for (size_t k = 0; k < it->n; k++) {
    const postal_atom *a = &it->atoms[k];
    switch (a->kind) {
    case POSTAL_ATOM_RANGE:
      if (a->unit == POSTAL_UNIT_CHOME) s->chome = (int32_t)a->lo.main;
      if (a->unit == POSTAL_UNIT_CHIWARI) s->chiwari = (int32_t)a->lo.main;
      if (a->unit == POSTAL_UNIT_BANCHI) {
        s->banchi = (int32_t)a->lo.main;
        s->branch = a->lo.branch ? (int32_t)a->lo.branch : -1;
      }
      break;
    case POSTAL_ATOM_NAME: s->name = a->name; break;
    case POSTAL_ATOM_CHOME:
      if (s->chome < 0) s->chome = 1;
      break;
    case POSTAL_ATOM_BANCHI:
      if (s->banchi < 0) s->banchi = 100;
      break;
    case POSTAL_ATOM_NO_NUMBER: s->none = true; break;
    case POSTAL_ATOM_ALL: break;
    case POSTAL_ATOM_LIST:
      if (!a->list->negated && a->list->n && !from_item(&a->list->items[0], s)) return false;
      break;
    case POSTAL_ATOM_UNKNOWN: return false;
    }
  }
  return true;
}

/* The text after the town for a sample, in one of six ways. */
static void put_sample(GString *out, const sample *s, unsigned style, bool free_form) {
  if (s->name) {
    g_string_append(out, "字");
    g_string_append(out, s->name);
  }
  if (s->none) return;
  num_style ns = style == 1 ? NUM_KANJI : style == 2 || style == 5 ? NUM_WIDE : NUM_ASCII;
  const char *dash = ns == NUM_WIDE ? "－" : "-";
  if (s->chiwari >= 0) {
    g_string_append(out, "第");
    put_num(out, (uint32_t)s->chiwari, ns);
    g_string_append(out, "地割");
  }
  if (s->chome >= 0) {
    int32_t b = s->banchi >= 0 ? s->banchi : 2, k = s->branch >= 0 ? s->branch : 3;
    if (free_form && (style == 2 || style == 3)) { /* 1-2-3 */
      put_num(out, (uint32_t)s->chome, ns);
      g_string_append(out, dash);
      put_num(out, (uint32_t)b, ns);
      g_string_append(out, dash);
      put_num(out, (uint32_t)k, ns);
    } else if (style == 4) {
      put_num(out, (uint32_t)s->chome, ns);
      g_string_append(out, "丁目");
      put_num(out, (uint32_t)b, ns);
      g_string_append(out, dash);
      put_num(out, (uint32_t)k, ns);
    } else {
      put_num(out, (uint32_t)s->chome, ns);
      g_string_append(out, "丁目");
      put_num(out, (uint32_t)b, ns);
      g_string_append(out, "番");
      put_num(out, (uint32_t)k, ns);
      g_string_append(out, "号");
    }
    return;
  }
  int32_t b = s->banchi >= 0 ? s->banchi : 123;
  if (free_form && (style == 2 || style == 3)) { /* 123-4 */
    put_num(out, (uint32_t)b, ns);
    g_string_append(out, dash);
    put_num(out, (uint32_t)(s->branch >= 0 ? s->branch : 4), ns);
  } else {
    put_num(out, (uint32_t)b, ns);
    g_string_append(out, "番地");
    if (s->branch >= 0 || style == 4) {
      if (style == 5) g_string_append(out, "の");
      put_num(out, (uint32_t)(s->branch >= 0 ? s->branch : 4), ns);
    }
  }
}

/* What the derivation will read from `text` in this town. */
static void facts_of(const postal_group *g, const char *text, postal_facts *f) {
  postal_text t = {0};
  postal_fold(&t, text, strlen(text));
  memset(f, 0, sizeof *f);
  size_t from = 0, k;
  if ((k = postal_text_at(&t, 0, "字"))) from = k;
  postal_read_numbers(&t, from, &f->num);
  if (g && g->names->len) { /* the longest listed name right after 字 */
    size_t best = 0;
    for (guint i = 0; i < g->names->len; i++) {
      size_t n = postal_text_at(&t, from, g->names->pdata[i]);
      if (from && n > best) {
        best = n;
        f->listed_name = g->names->pdata[i];
      }
    }
  }
  if (g) postal_interpret(g, f);
  postal_text_free(&t);
}

static postal_tri rec_tri(const postal_rec *r, const postal_facts *f) {
  postal_tri t = r->base ? postal_eval_list(r->base, f) : POSTAL_YES;
  if (r->note.kind == POSTAL_NOTE_LIST) t = postal_and(t, postal_eval_list(r->note.list, f));
  if (r->note.kind == POSTAL_NOTE_UNKNOWN || r->note.kind == POSTAL_NOTE_FLOOR)
    t = postal_and(t, POSTAL_MAYBE);
  return t;
}

/* Is the sample, written this way, certainly inside the row (and, for
 * （その他）, outside every sibling)? */
static bool certain(const postal_rec *r, const sample *s, unsigned style, bool free_form) {
  GString *text = g_string_new(NULL);
  put_sample(text, s, style, free_form);
  postal_facts f;
  facts_of(r->group, text->str, &f);
  g_string_free(text, TRUE);
  if (r->note.kind != POSTAL_NOTE_OTHER) return rec_tri(r, &f) == POSTAL_YES;
  if (r->base && postal_eval_list(r->base, &f) != POSTAL_YES) return false;
  for (guint k = 0; k < r->group->recs->len; k++) {
    const postal_rec *o = r->group->recs->pdata[k];
    if (o != r && o->building < 0 && o->note.kind != POSTAL_NOTE_OTHER &&
        rec_tri(o, &f) != POSTAL_NO)
      return false;
  }
  return true;
}

/* Would the derivation read the town's name and this number as another,
 * longer town of the city (本町 + 3丁目 = 本町三丁目)? */
static bool runs_into_town(const postal_rec *r, const sample *s, unsigned style, bool free_form) {
  GString *text = g_string_new(NULL);
  g_string_append_len(text, r->pub.town, r->key_to);
  size_t own = text->len;
  put_sample(text, s, style, free_form);
  bool longer = postal_longest_town(r->group->city, text->str, text->len, r->group) > own;
  g_string_free(text, TRUE);
  return longer;
}

/* A sample inside the row's conditions, or false. */
static bool choose(const postal_rec *r, unsigned style, bool free_form, sample *out) {
  const postal_group *g = r->group;
  bool constrained =
      r->base || r->note.kind == POSTAL_NOTE_LIST || r->note.kind == POSTAL_NOTE_OTHER;
  for (guint k = 0; g && !constrained && k < g->recs->len; k++) {
    const postal_rec *o = g->recs->pdata[k];
    if (o->note.kind == POSTAL_NOTE_LIST || o->note.kind == POSTAL_NOTE_OTHER || o->base)
      constrained = true;
  }
  sample s = EMPTY;
  if (!constrained) { /* any address of the town will do — but 本町3丁目 is
                         not in 本町 when 本町三丁目 is a town of its own */
    for (int attempt = 0; attempt < 12; attempt++) {
      sample u = EMPTY;
      if ((style + r->index / 6 + (unsigned)attempt) % 2)
        u.chome = 1 + (int32_t)((r->index + (unsigned)attempt) % 9);
      else
        u.banchi = 100 + (int32_t)((r->index + 37u * (unsigned)attempt) % 800);
      if (!runs_into_town(r, &u, style, free_form)) {
        *out = u;
        return true;
      }
    }
    return false;
  }
  if (r->base && r->base->n) from_item(&r->base->items[0], &s);
  if (r->note.kind == POSTAL_NOTE_LIST) {
    for (size_t i = 0; i < r->note.list->n && !r->note.list->negated; i++) {
      sample t = s;
      if (!from_item(&r->note.list->items[i], &t)) continue;
      for (int tweak = 0; tweak < 3; tweak++) {
        sample u = t;
        if (tweak == 1 && u.banchi >= 0) u.banchi++;
        if (tweak == 2 && u.chome >= 0) u.chome++;
        if (certain(r, &u, style, free_form)) {
          *out = u;
          return true;
        }
      }
    }
    return false;
  }
  /* （その他）, or a plain row among noted siblings: try a few numbers */
  static const int32_t TRY[] = {1, 2, 3, 5, 8, 13, 30, 100, 300, 999, 2999, 9999};
  for (int form = 0; form < 2; form++)
    for (size_t i = 0; i < G_N_ELEMENTS(TRY); i++) {
      sample u = s;
      if (form == 0)
        u.chome = TRY[i];
      else
        u.banchi = TRY[i];
      if (certain(r, &u, style, free_form)) {
        *out = u;
        return true;
      }
    }
  return false;
}

static void swap_ke(GString *s) {
  GString *o = g_string_new(NULL);
  for (const char *p = s->str; *p;) {
    if (g_str_has_prefix(p, "ヶ")) {
      g_string_append(o, "ケ");
      p += 3;
    } else if (g_str_has_prefix(p, "ケ")) {
      g_string_append(o, "ヶ");
      p += 3;
    } else {
      g_string_append_c(o, *p++);
    }
  }
  g_string_assign(s, o->str);
  g_string_free(o, TRUE);
}

bool postal_sample_address(const tg_postal *p, const postal_rec *r, unsigned variant, GString *out,
                           tg_postal_hint *hint) {
  (void)p;
  g_string_truncate(out, 0);
  unsigned style = variant % 6;
  bool omit_city = variant % 11 == 5, omit_pref = omit_city || variant % 7 == 3;
  hint->prefecture = r->pub.prefecture;
  hint->city = r->pub.city;
  if (!omit_pref) g_string_append(out, r->pub.prefecture);
  if (!omit_city) g_string_append(out, r->pub.city);
  if (!r->group) { /* 以下に掲載がない場合, 一円, の次に…, an empty 町域: the 番地 follows the city
                    */
    sample s = EMPTY;
    if (r->note.kind == POSTAL_NOTE_LIST) {
      if (!r->note.list->n || r->note.list->negated || !from_item(&r->note.list->items[0], &s))
        return false;
    } else if (r->note.kind == POSTAL_NOTE_UNKNOWN) {
      return false;
    }
    if (s.banchi < 0) s.banchi = 100 + (int32_t)(r->index % 800);
    s.chome = -1;
    put_sample(out, &s, style == 2 || style == 3 ? 0 : style, false);
    return true;
  }
  const postal_group *g = r->group;
  bool free_form = (g->chome_town && !g->banchi_town) || (g->banchi_town && !g->chome_town);
  sample s;
  if (!choose(r, style, free_form, &s)) return false;
  if (!free_form) {
    /* 1-2-3 is fine where nothing depends on how it reads */
    free_form = true;
    for (guint k = 0; k < g->recs->len && free_form; k++) {
      const postal_rec *o = g->recs->pdata[k];
      if (o->note.kind == POSTAL_NOTE_LIST || o->note.kind == POSTAL_NOTE_OTHER || o->base)
        free_form = false;
    }
  }
  GString *town = g_string_new(NULL);
  const char *t = r->pub.town;
  bool oaza = variant % 13 == 7 &&
              (g_str_has_suffix(r->pub.city, "町") || g_str_has_suffix(r->pub.city, "村")) &&
              r->key_from == 0 && !g_str_has_prefix(t, "字") && !g_str_has_prefix(t, "大字");
  if (oaza) g_string_append(town, "大字");
  g_string_append_len(town, t, r->key_to); /* the name without a 地割 or floor written after it */
  if (variant % 5 == 2) swap_ke(town);
  if (variant % 17 == 1) g_string_append(out, "　");
  g_string_append(out, town->str);
  g_string_free(town, TRUE);
  put_sample(out, &s, style, free_form);
  if (r->building >= 0) {
    g_string_append(out, " ");
    g_string_append(out, r->pub.building);
    if (r->pub.floor > 0) {
      put_digits(out, (uint32_t)r->pub.floor, style == 5);
      g_string_append(out, variant % 2 ? "階" : "F");
    } else if (variant % 3 == 0) {
      g_string_append(out, "地下1階");
    }
  }
  return true;
}

void postal_measure(const tg_postal *p, postal_measure_counts *c, GString *report, bool verbose) {
  memset(c, 0, sizeof *c);
  GString *addr = g_string_new(NULL);
  for (guint i = 0; i < p->recs->len; i++) {
    const postal_rec *r = &g_array_index(p->recs, postal_rec, i);
    c->rows++;
    tg_postal_hint hint;
    if (!postal_sample_address(p, r, r->index, addr, &hint)) {
      c->skipped++;
      if (report && verbose)
        g_string_append_printf(report, "skipped  %s row %" G_GUINT64_FORMAT " %s%s（%s）\n",
                               r->pub.code, r->pub.row, r->pub.city, r->pub.town, r->pub.town_note);
      continue;
    }
    tg_postal_result res;
    gint64 t0 = g_get_monotonic_time();
    tg_postal_derive(p, addr->str, addr->len, &hint, &res);
    c->seconds += (double)(g_get_monotonic_time() - t0) / 1e6;
    const char *what = NULL;
    switch (res.outcome) {
    case TG_POSTAL_DECIDED:
      if (memcmp(res.code, r->pub.code, 7) == 0) {
        c->decided++;
        if (res.by_default) c->by_default++;
      } else {
        c->wrong++;
        what = "WRONG";
      }
      break;
    case TG_POSTAL_AMBIGUOUS:
      c->ambiguous++;
      if (verbose) what = "ambiguous";
      break;
    case TG_POSTAL_NOT_FOUND:
      c->not_found++;
      if (verbose) what = "notfound";
      break;
    }
    if (what && report)
      g_string_append_printf(report, "%-9s %s row %" G_GUINT64_FORMAT ": %s -> %s (%zu)\n", what,
                             r->pub.code, r->pub.row, addr->str,
                             res.outcome == TG_POSTAL_DECIDED ? res.code : "", res.ncandidates);
  }
  g_string_free(addr, TRUE);
}
