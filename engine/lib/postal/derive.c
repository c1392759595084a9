/* derive.c — the postal code of an address, and the index it needs.
 *
 * KDB lists carry 住所 but no 郵便番号.  The code is derived from the address
 * by KEN_ALL's own rules, and only when they give exactly one code:
 *
 *   1. prefecture (or the hint's, when the address leaves it out);
 *   2. city or ward — the longest name of the dictionary at that point,
 *      with or without its 郡, a designated city with or without its ward
 *      (横浜市 stands for its 18 wards); the hint's city when none is written;
 *   3. town (町域) — the longest town key of those cities at that point
 *      (after an optional 大字/字), shorter ones too when the longer one
 *      could have eaten a number (東2 | 1丁目 vs 東21 …) or when only they
 *      leave something that reads like an address number;
 *   4. every row of the town is evaluated against what follows: 丁目, 番地,
 *      1-2-3, 小字, building and floor.  Each row says yes, no or maybe
 *      (three-valued: a note we do not understand, a 1-2-3 that could be
 *      丁目 or 番地, a 小字 left out).  その他 rows hold when all their
 *      siblings fail; the town's plain rows fail when one of its 高層ビル is
 *      named; a 高層ビル's floor row holds for its floor, its 地階・階層不明
 *      row for a basement, no floor, or a floor without a row of its own;
 *   5. the codes of all rows that say yes or maybe, over every candidate
 *      town and city: one code is DECIDED, several AMBIGUOUS, none
 *      NOT_FOUND.  A maybe is never dropped, so an address is never given a
 *      code one of its possible readings contradicts.
 *
 * An address that names no town (city, then a number) gets the city's
 * 一円 or の次に番地がくる場合 code, else its 以下に掲載がない場合 code
 * (by_default).  An address whose town is not in the dictionary is NOT_FOUND
 * (it may be misspelt or an old name); default_code says what the city's
 * 以下に掲載がない場合 code would be.
 *
 * The index is built once at load: per city a hash of folded town keys, and
 * one hash of folded city names; lookups try each prefix length of the
 * address, so the cost per address does not depend on the dictionary's size.
 */
#include "postal/postal_private.h"

#include <string.h>

/* ---- building the index -------------------------------------------------------------- */

static void fold_str(const char *s, GString *out, bool numerals) {
  postal_text t = {0};
  postal_fold_as(&t, s, strlen(s), numerals);
  g_string_truncate(out, 0);
  postal_text_append(&t, 0, t.n, out);
  postal_text_free(&t);
}

static void add_city_key(tg_postal *P, const char *key, postal_city *c) {
  GPtrArray *list = g_hash_table_lookup(P->city_keys, key);
  if (!list) {
    list = g_ptr_array_new();
    g_hash_table_insert(P->city_keys, g_strdup(key), list);
  }
  for (guint i = 0; i < list->len; i++)
    if (list->pdata[i] == c) return;
  g_ptr_array_add(list, c);
  size_t n = g_utf8_strlen(key, -1);
  if (n > P->max_city_key) P->max_city_key = n;
}

static int pref_index(const tg_postal *P, const char *folded) {
  for (int i = 0; i < 47; i++)
    if (strcmp(P->pref_keys[i], folded) == 0) return i;
  return -1;
}

/* City keys: the folded name, the name after its 郡, and for a ward of a
 * designated city (横浜市西区) the city (横浜市) and the ward (kept apart,
 * for addresses that start with the ward under a city hint). */
static void register_city(tg_postal *P, postal_city *c) {
  GString *k = g_string_new(NULL);
  fold_str(c->city, k, false);
  add_city_key(P, k->str, c);
  const char *gun = strstr(k->str, "郡");
  if (gun && gun[3]) add_city_key(P, gun + 3, c);
  const char *shi = strstr(k->str, "市");
  if (shi && shi > k->str && g_str_has_suffix(shi + 3, "区") && strlen(shi + 3) > 3) {
    char *city = g_strndup(k->str, (gsize)(shi + 3 - k->str));
    add_city_key(P, city, c);
    c->ward = g_string_chunk_insert(P->strings, shi + 3);
    g_free(city);
  }
  g_string_free(k, TRUE);
}

/* Towns by key: a town is found by its name with numerals folded (its
 * identity) and as written (an alias); two towns may share a key. */
static void town_key_add(postal_city *c, const char *key, postal_group *g) {
  GPtrArray *list = g_hash_table_lookup(c->towns, key);
  if (!list) {
    list = g_ptr_array_new();
    g_hash_table_insert(c->towns, (gpointer)key, list);
  }
  for (guint i = 0; i < list->len; i++)
    if (list->pdata[i] == g) return;
  g_ptr_array_add(list, g);
  size_t n = g_utf8_strlen(key, -1);
  if (n > c->max_town_key) c->max_town_key = n;
}

static postal_group *group_find(const postal_city *c, const char *key) {
  GPtrArray *list = g_hash_table_lookup(c->towns, key);
  for (guint i = 0; list && i < list->len; i++)
    if (strcmp(((postal_group *)list->pdata[i])->key, key) == 0) return list->pdata[i];
  return NULL;
}

static postal_group *group_get(tg_postal *P, postal_city *c, const char *key) {
  postal_group *g = group_find(c, key);
  if (g) return g;
  g = g_new0(postal_group, 1);
  g->city = c;
  g->key = g_string_chunk_insert_const(P->strings, key);
  g->recs = g_ptr_array_new();
  g->names = g_ptr_array_new();
  g->buildings = g_array_new(FALSE, TRUE, sizeof(postal_building));
  town_key_add(c, g->key, g);
  g_ptr_array_add(c->groups, g);
  return g;
}

/* The town's name as written (numerals kept), as a second key. */
static void add_alias(tg_postal *P, postal_city *c, postal_group *g, const char *town,
                      uint32_t from, uint32_t to, GString *tmp) {
  char *part = g_strndup(town + from, to - from);
  fold_str(part, tmp, false);
  g_free(part);
  if (tmp->len && strcmp(tmp->str, g->key) != 0)
    town_key_add(c, g_string_chunk_insert_const(P->strings, tmp->str), g);
}

/* A trailing [第]N地割[～[第]M地割] of a folded town name: where it starts,
 * or t->n. */
static size_t chiwari_suffix(const postal_text *t, size_t from) {
  if (t->n < 3 || !postal_text_at(t, t->n - 2, "地割")) return t->n;
  size_t i = t->n - 2;
  for (int part = 0; part < 2; part++) {
    size_t j = i;
    while (j > from && postal_is_digit(t->c[j - 1].cp))
      j--;
    if (j == i) return t->n;
    if (j > from && t->c[j - 1].cp == 0x7B2C /* 第 */) j--;
    i = j;
    if (part == 0 && i >= from + 3 && t->c[i - 1].cp == '~' && postal_text_at(t, i - 3, "地割")) {
      i -= 3; /* …地割~ : the range's first end */
      continue;
    }
    break;
  }
  return i > from ? i : t->n;
}

/* Folded key of a row, with what it says beyond its name: the key's
 * characters [*from, *to) of t, and trailing 地割 conditions. */
typedef struct {
  postal_rec *r;
  bool city_level; /* 以下に掲載がない場合, 一円, の次に…, or an empty 町域 */
  postal_text t;   /* the folded town */
  size_t from, to;
  int floor;       /* a trailing N階 of the derived dictionary (0: none) */
  size_t floor_at; /* where that floor starts */
  bool building;
} row_work;

static void key_of(tg_postal *P, row_work *w) {
  postal_text *t = &w->t;
  postal_fold(t, w->r->pub.town, strlen(w->r->pub.town));
  size_t from = 0, k;
  if ((k = postal_text_at(t, 0, "大字")) && k < t->n)
    from = k;
  else if ((k = postal_text_at(t, 0, "字")) && k < t->n)
    from = k;
  size_t to = chiwari_suffix(t, from);
  if (to < t->n) w->r->base = postal_parse_conditions(t, to, t->n, P->arena);
  if (to < t->n && !w->r->base) to = t->n; /* not understood: keep the whole name */
  w->from = from;
  w->to = to;
  /* the derived dictionary writes a floor into the name: 霞が関霞が関ビル１階 */
  size_t i = t->n;
  if (w->r->note.kind == POSTAL_NOTE_NONE && i >= 3 && t->c[i - 1].cp == 0x968E /* 階 */) {
    size_t j = i - 1;
    while (j > from && postal_is_digit(t->c[j - 1].cp))
      j--;
    if (j < i - 1 && j > from + 1 && i - 1 - j <= 3) {
      uint32_t v = 0;
      for (size_t q = j; q < i - 1; q++)
        v = v * 10 + (t->c[q].cp - '0');
      if (v > 0) {
        w->floor = (int)v;
        w->floor_at = j;
      }
    }
  }
}

static GString *text_key(const postal_text *t, size_t from, size_t to, GString *g) {
  g_string_truncate(g, 0);
  postal_text_append(t, from, to, g);
  return g;
}

/* The same without what is in parentheses: how floor rows and their
 * 地階・階層不明 row are matched (名駅ミッドランドスクエア（高層棟）１階 and
 * 名駅ミッドランドスクエア in the derived dictionary). */
static GString *bare_key(const postal_text *t, size_t from, size_t to, GString *g) {
  g_string_truncate(g, 0);
  int depth = 0;
  for (size_t i = from; i < to; i++) {
    uint32_t c = t->c[i].cp;
    if (c == '(') depth++;
    if (!depth) tg_utf8_append(g, c);
    if (c == ')' && depth) depth--;
  }
  return g;
}

/* Split a building name into the name and what it has in parentheses. */
static void add_building(tg_postal *P, postal_group *g, postal_rec *r, const postal_text *t,
                         size_t from, size_t to) {
  GString *name = g_string_new(NULL), *qual = g_string_new(NULL);
  int depth = 0;
  for (size_t i = from; i < to; i++) {
    uint32_t c = t->c[i].cp;
    if (c == '(') depth++;
    if (depth > 0) {
      if (c != '(' && c != ')') tg_utf8_append(qual, c);
    } else {
      tg_utf8_append(name, c);
    }
    if (c == ')' && depth > 0) depth--;
  }
  /* one building per name: the derived dictionary drops （高層棟） from the
   * 地階・階層不明 row but keeps it in the floor rows */
  int found = -1;
  for (guint b = 0; b < g->buildings->len; b++) {
    postal_building *pb = &g_array_index(g->buildings, postal_building, b);
    if (strcmp(pb->key, name->str) != 0) continue;
    found = (int)b;
    if (!pb->qualifier && qual->len) {
      pb->qualifier = g_string_chunk_insert_const(P->strings, qual->str);
      postal_fold(&pb->qual, pb->qualifier, strlen(pb->qualifier));
    }
  }
  if (found < 0) {
    postal_building pb = {0};
    pb.key = g_string_chunk_insert_const(P->strings, name->str);
    pb.qualifier = qual->len ? g_string_chunk_insert_const(P->strings, qual->str) : NULL;
    postal_fold(&pb.name, pb.key, strlen(pb.key));
    if (pb.qualifier) postal_fold(&pb.qual, pb.qualifier, strlen(pb.qualifier));
    g_array_append_val(g->buildings, pb);
    found = (int)g->buildings->len - 1;
  }
  r->building = found;
  g_string_free(name, TRUE);
  g_string_free(qual, TRUE);
}

static void build_city(tg_postal *P, postal_city *c, GPtrArray *recs) {
  size_t n = recs->len;
  row_work *w = g_new0(row_work, n);
  GHashTable *floor_bases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GString *g = g_string_new(NULL);
  for (size_t i = 0; i < n; i++) {
    postal_rec *r = recs->pdata[i];
    w[i].r = r;
    r->building = -1;
    if (r->pub.is_default || r->pub.is_whole_city || !*r->pub.town) {
      w[i].city_level = true;
      g_ptr_array_add(c->city_level, r);
      if (r->pub.is_default && !c->default_code) c->default_code = r->pub.code;
      continue;
    }
    key_of(P, &w[i]);
    if (w[i].floor) { /* count the rows of each would-be building */
      bare_key(&w[i].t, w[i].from, w[i].floor_at, g);
      gpointer old = g_hash_table_lookup(floor_bases, g->str);
      g_hash_table_insert(floor_bases, g_strdup(g->str), GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1));
    }
  }
  /* 高層ビル rows: an official floor note, or (derived dictionary) a name
   * ending in N階 shared by two rows or more, and the name itself without
   * a floor (its 地階・階層不明 row) */
  for (size_t i = 0; i < n; i++) {
    postal_rec *r = w[i].r;
    if (w[i].city_level) continue;
    if (r->note.kind == POSTAL_NOTE_FLOOR) {
      w[i].building = true;
      r->pub.floor = r->note.floor;
      w[i].floor_at = w[i].to;
    } else if (w[i].floor) {
      bare_key(&w[i].t, w[i].from, w[i].floor_at, g);
      if (GPOINTER_TO_INT(g_hash_table_lookup(floor_bases, g->str)) >= 2) {
        w[i].building = true;
        r->pub.floor = w[i].floor;
      }
    } else if (r->note.kind == POSTAL_NOTE_NONE) {
      bare_key(&w[i].t, w[i].from, w[i].to, g);
      if (GPOINTER_TO_INT(g_hash_table_lookup(floor_bases, g->str)) >= 2) {
        w[i].building = true;
        r->pub.floor = -1;
        w[i].floor_at = w[i].to;
      }
    }
    if (!w[i].building) {
      text_key(&w[i].t, w[i].from, w[i].to, g);
      r->key = g_string_chunk_insert_const(P->strings, g->str);
      r->group = group_get(P, c, r->key);
      r->key_from = w[i].t.n ? w[i].t.c[w[i].from].start : 0;
      r->key_to = w[i].to > w[i].from ? w[i].t.c[w[i].to - 1].end : r->key_from;
      add_alias(P, c, r->group, r->pub.town, r->key_from, r->key_to, g);
      g_ptr_array_add(r->group->recs, r);
    }
  }
  /* each building joins the longest town of the city its name starts with
   * (霞が関 | 霞が関ビル); without one, it is a town of its own */
  for (size_t i = 0; i < n; i++) {
    if (!w[i].building) continue;
    postal_rec *r = w[i].r;
    const postal_text *t = &w[i].t;
    size_t end = w[i].floor_at, split = w[i].from;
    postal_group *town = NULL;
    g_string_truncate(g, 0);
    for (size_t k = w[i].from; k + 1 < end; k++) {
      tg_utf8_append(g, t->c[k].cp);
      postal_group *cand = group_find(c, g->str);
      if (cand) {
        town = cand;
        split = k + 1;
      }
    }
    if (!town) {
      text_key(t, w[i].from, end, g);
      town = group_get(P, c, g->str);
      split = end;
      add_alias(P, c, town, r->pub.town, t->c[w[i].from].start, t->c[end - 1].end, g);
    }
    r->group = town;
    r->key = town->key;
    r->key_from = t->n ? t->c[w[i].from].start : 0;
    r->key_to = split > w[i].from ? t->c[split - 1].end : r->key_from;
    r->building_at = split < t->n ? t->c[split].start : (uint32_t)strlen(r->pub.town);
    uint32_t bend = end > split ? t->c[end - 1].end : r->building_at;
    r->pub.building = g_string_chunk_insert_len(P->strings, r->pub.town + r->building_at,
                                                (gssize)(bend - r->building_at));
    add_building(P, town, r, t, split, end);
    g_ptr_array_add(town->recs, r);
  }
  /* what each town's notes say about 1-2-3, and the 小字 they name */
  for (guint i = 0; i < c->groups->len; i++) {
    postal_group *gr = c->groups->pdata[i];
    for (guint k = 0; k < gr->recs->len; k++) {
      postal_rec *r = gr->recs->pdata[k];
      if (r->pub.has_chome) gr->chome_town = true;
      if (r->pub.koaza_banchi) gr->koaza_banchi = true;
      postal_list_units(r->note.list, &gr->chome_town, &gr->banchi_town);
      postal_list_names(r->note.list, gr->names);
    }
  }
  for (size_t i = 0; i < n; i++)
    postal_text_free(&w[i].t);
  g_free(w);
  g_string_free(g, TRUE);
  g_hash_table_destroy(floor_bases);
}

void postal_index_build(tg_postal *P) {
  GString *g = g_string_new(NULL);
  for (int i = 0; i < 47; i++) {
    fold_str(postal_prefectures[i], g, false);
    P->pref_keys[i] = g_strdup(g->str);
  }
  P->cities = g_ptr_array_new();
  P->city_keys =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  GHashTable *by_name =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); /* → index + 1 */
  GPtrArray *members = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < P->recs->len; i++) {
    postal_rec *r = &g_array_index(P->recs, postal_rec, i);
    char *name = g_strconcat(r->pub.prefecture, "\t", r->pub.city, NULL);
    guint ci = GPOINTER_TO_UINT(g_hash_table_lookup(by_name, name));
    if (!ci) {
      postal_city *c;
      c = g_new0(postal_city, 1);
      c->prefecture = r->pub.prefecture;
      c->city = r->pub.city;
      fold_str(c->prefecture, g, false);
      c->pref = pref_index(P, g->str);
      c->towns =
          g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
      c->groups = g_ptr_array_new();
      c->city_level = g_ptr_array_new();
      g_ptr_array_add(P->cities, c);
      g_ptr_array_add(members, g_ptr_array_new());
      ci = P->cities->len;
      g_hash_table_insert(by_name, name, GUINT_TO_POINTER(ci));
      register_city(P, c);
    } else {
      g_free(name);
    }
    g_ptr_array_add(members->pdata[ci - 1], r);
  }
  for (guint i = 0; i < P->cities->len; i++)
    build_city(P, P->cities->pdata[i], members->pdata[i]);
  g_ptr_array_free(members, TRUE);
  g_hash_table_destroy(by_name);
  g_string_free(g, TRUE);
}

void postal_index_free(tg_postal *P) {
  for (int i = 0; i < 47; i++)
    g_free(P->pref_keys[i]);
  if (!P->cities) return;
  for (guint i = 0; i < P->cities->len; i++) {
    postal_city *c = P->cities->pdata[i];
    for (guint k = 0; k < c->groups->len; k++) {
      postal_group *g = c->groups->pdata[k];
      for (guint b = 0; b < g->buildings->len; b++) {
        postal_building *pb = &g_array_index(g->buildings, postal_building, b);
        postal_text_free(&pb->name);
        postal_text_free(&pb->qual);
      }
      g_array_free(g->buildings, TRUE);
      g_ptr_array_free(g->recs, TRUE);
      g_ptr_array_free(g->names, TRUE);
      g_free(g);
    }
    g_ptr_array_free(c->groups, TRUE);
    g_ptr_array_free(c->city_level, TRUE);
    g_hash_table_destroy(c->towns);
    g_free(c);
  }
  g_ptr_array_free(P->cities, TRUE);
  g_hash_table_destroy(P->city_keys);
}

/* ---- deriving ------------------------------------------------------------------------- */

typedef struct {
  char c[8];
} code8;

/* The codes that fit so far. */
typedef struct {
  GArray *codes; /* code8, distinct */
  bool any_yes, by_default;
  size_t town_end; /* bytes: where the first fitting town (or city) ends */
  bool have_end;
  bool town_seen;       /* some town of a candidate city was found */
  bool city_level_seen; /* an address without a town was read against its city */
  const char *default_code;
} collect;

static void add_code(collect *col, const postal_rec *r, postal_tri t, size_t end_byte) {
  if (t == POSTAL_NO) return;
  if (t == POSTAL_YES) col->any_yes = true;
  if (!col->have_end) {
    col->town_end = end_byte;
    col->have_end = true;
  }
  for (guint i = 0; i < col->codes->len; i++)
    if (memcmp(g_array_index(col->codes, code8, i).c, r->pub.code, 8) == 0) return;
  code8 code;
  memcpy(code.c, r->pub.code, 8);
  g_array_append_val(col->codes, code);
}

/* Does the text read like the start of an address number (or end)?  Used
 * to choose between a town and a longer one. */
static bool numberish(const postal_text *R) {
  if (R->n == 0 || R->c[0].space) return true;
  uint32_t c = R->c[0].cp;
  return postal_is_digit(c) || c == '-' || c == 0x7B2C /* 第 */ || c == 0x5B57 /* 字 */ ||
         postal_text_at(R, 0, "大字");
}

/* A town found after the city: its group and where it ends (bytes from the
 * city's end). */
typedef struct {
  postal_group *g;
  size_t end;
  bool digit_end; /* its name ends in a numeral */
  bool runs_on;   /* …and the address goes on with one: where does the number start? */
} town_match;

static bool numeral(uint32_t c) { return postal_is_digit(c) || postal_is_kanji_numeral(c); }

/* Town keys at the start of T (and after 大字/字), T folded one way. */
static void find_towns(const postal_city *c, const postal_text *T, GArray *out) {
  size_t starts[3] = {0, 0, 0}, nstarts = 1, k;
  if ((k = postal_text_at(T, 0, "大字"))) starts[nstarts++] = k;
  if ((k = postal_text_at(T, 0, "字"))) starts[nstarts++] = k;
  GString *key = g_string_new(NULL);
  for (size_t s = 0; s < nstarts; s++) {
    g_string_truncate(key, 0);
    for (size_t i = starts[s]; i < T->n && i - starts[s] < c->max_town_key; i++) {
      tg_utf8_append(key, T->c[i].cp);
      GPtrArray *list = g_hash_table_lookup(c->towns, key->str);
      for (guint q = 0; list && q < list->len; q++) {
        town_match m = {list->pdata[q], T->c[i].end, numeral(T->c[i].cp), false};
        m.runs_on = m.digit_end && i + 1 < T->n && numeral(T->c[i + 1].cp) && !T->c[i + 1].space;
        bool dup = false;
        for (guint o = 0; o < out->len && !dup; o++) {
          town_match *x = &g_array_index(out, town_match, o);
          if (x->g == m.g && x->end == m.end) {
            x->runs_on = x->runs_on && m.runs_on;
            dup = true;
          }
        }
        if (!dup) g_array_append_val(out, m);
      }
    }
  }
  g_string_free(key, TRUE);
}

static gint cmp_match_end(gconstpointer a, gconstpointer b) {
  const town_match *x = a, *y = b;
  return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

size_t postal_longest_town(const postal_city *c, const char *s, size_t len,
                           const postal_group *except) {
  postal_text raw = {0}, conv = {0};
  postal_fold_as(&raw, s, len, false);
  postal_fold(&conv, s, len);
  GArray *m = g_array_new(FALSE, FALSE, sizeof(town_match));
  find_towns(c, &raw, m);
  find_towns(c, &conv, m);
  size_t best = 0;
  for (guint i = 0; i < m->len; i++)
    if (g_array_index(m, town_match, i).end > best && g_array_index(m, town_match, i).g != except)
      best = g_array_index(m, town_match, i).end;
  g_array_free(m, TRUE);
  postal_text_free(&raw);
  postal_text_free(&conv);
  return best;
}

/* Where a name the town lists (a 小字) is written: at the start, after 字,
 * after a blank, or after 丁目.  The longest listed name found, or NULL. */
static const char *listed_name(const postal_group *g, const postal_text *A, size_t from) {
  const char *best = NULL;
  size_t best_len = 0;
  size_t first_digit = from;
  while (first_digit < A->n && !postal_is_digit(A->c[first_digit].cp))
    first_digit++;
  for (size_t i = from; i < A->n; i++) {
    bool start = i == from || A->c[i].space || A->c[i - 1].cp == 0x5B57 /* 字 */;
    bool after_chome =
        (i >= 3 && postal_text_at(A, i - 2, "丁目") && postal_is_digit(A->c[i - 3].cp)) ||
        (i >= 2 && A->c[i - 1].cp == 0x4E01 /* 丁 */ && postal_is_digit(A->c[i - 2].cp));
    if (!((start && i <= first_digit) || after_chome)) continue;
    for (guint k = 0; k < g->names->len; k++) {
      const char *name = g->names->pdata[k];
      size_t n = postal_text_at(A, i, name);
      if (n > best_len) {
        best = name;
        best_len = n;
      }
    }
  }
  return best;
}

void postal_interpret(const postal_group *g, postal_facts *f) {
  postal_numbers *n = &f->num;
  if (!n->chome_written && !n->banchi_written && n->chiwari < 0 && n->nnums > 0) {
    if (g->chome_town && !g->banchi_town) {
      n->chome = (int32_t)n->nums[0];
      if (n->nnums > 1) n->banchi = (int32_t)n->nums[1];
      if (n->nnums > 2) n->branch = (int32_t)n->nums[2];
    } else if (g->banchi_town && !g->chome_town) {
      n->banchi = (int32_t)n->nums[0];
      if (n->nnums > 1) n->branch = (int32_t)n->nums[1];
    }
  }
  if (g->koaza_banchi && !f->listed_name) n->banchi = n->branch = -1;
}

/* Longest run of characters the two texts share. */
static size_t longest_common(const postal_text *a, size_t from, const postal_text *b) {
  size_t best = 0;
  for (size_t i = from; i < a->n; i++)
    for (size_t j = 0; j < b->n; j++) {
      size_t k = 0;
      while (i + k < a->n && j + k < b->n && a->c[i + k].cp == b->c[j + k].cp)
        k++;
      if (k > best) best = k;
    }
  return best;
}

/* Where `name` occurs in A from `from` (characters), or SIZE_MAX. */
static size_t find_text(const postal_text *A, size_t from, const postal_text *name) {
  if (name->n == 0) return from;
  for (size_t i = from; i + name->n <= A->n; i++) {
    size_t k = 0;
    while (k < name->n && A->c[i + k].cp == name->c[k].cp)
      k++;
    if (k == name->n) return i;
  }
  return SIZE_MAX;
}

#define MAX_BUILDINGS 64

typedef struct {
  postal_tri seen;
  int floor; /* written floor: 0 none, -1 basement */
  size_t start, end;
} building_seen;

/* Is each building of the town named after the town?  Yes when its name
 * (and what it has in parentheses) is there, maybe when only part of it is
 * (4 characters or more in common) or only the name without its (高層棟). */
static void see_buildings(const postal_group *g, const postal_text *A, size_t from,
                          building_seen *seen, size_t nb) {
  bool named = false;
  for (size_t b = 0; b < nb; b++) {
    const postal_building *pb = &g_array_index(g->buildings, postal_building, b);
    building_seen *s = &seen[b];
    s->seen = POSTAL_NO;
    s->floor = 0;
    if (!*pb->key) { /* the town is the building */
      s->seen = POSTAL_YES;
      s->start = s->end = from;
      s->floor = postal_read_floor(A, from);
      continue;
    }
    size_t at = find_text(A, from, &pb->name);
    if (at != SIZE_MAX) {
      s->start = at;
      s->end = at + pb->name.n;
      s->seen =
          !pb->qualifier || find_text(A, from, &pb->qual) != SIZE_MAX ? POSTAL_YES : POSTAL_MAYBE;
      s->floor = postal_read_floor(A, s->end);
      named = true;
    }
  }
  /* a building whose name lies inside a longer one that is named does not count */
  for (size_t b = 0; b < nb; b++)
    for (size_t o = 0; o < nb; o++)
      if (o != b && seen[b].seen != POSTAL_NO && seen[o].seen != POSTAL_NO &&
          seen[o].start <= seen[b].start && seen[b].end <= seen[o].end &&
          seen[o].end - seen[o].start > seen[b].end - seen[b].start)
        seen[b].seen = POSTAL_NO;
  if (named) return;
  /* none named whole: part of a name (4 characters or more, ビル alone is
   * not enough) may still be the building written differently */
  for (size_t b = 0; b < nb; b++) {
    const postal_building *pb = &g_array_index(g->buildings, postal_building, b);
    size_t need = pb->name.n < 4 ? pb->name.n : 4;
    if (*pb->key && need >= 2 && longest_common(A, from, &pb->name) >= need) {
      seen[b].seen = POSTAL_MAYBE;
      seen[b].floor = postal_read_floor(A, from);
    }
  }
}

static bool has_floor_row(const postal_group *g, int building, int floor) {
  for (guint k = 0; k < g->recs->len; k++) {
    const postal_rec *r = g->recs->pdata[k];
    if (r->building == building && r->pub.floor == floor) return true;
  }
  return false;
}

static postal_tri building_row(const postal_group *g, const postal_rec *r, const building_seen *s) {
  if (s->seen == POSTAL_NO) return POSTAL_NO;
  int floor = s->floor;
  if (r->pub.floor > 0) return floor == r->pub.floor ? s->seen : POSTAL_NO;
  /* 地階・階層不明: a basement, no floor written, or a floor without a row */
  if (floor > 0 && has_floor_row(g, r->building, floor)) return POSTAL_NO;
  return s->seen;
}

/* Every row of town g against the rest of the address R (folded, from the
 * town's end at byte end_byte).  `cap` is MAYBE when we cannot tell where
 * the town's name ends and the number starts. */
static void eval_group(const postal_group *g, const postal_text *R, size_t end_byte, postal_tri cap,
                       collect *col) {
  postal_facts f = {0};
  postal_read_numbers(R, 0, &f.num);
  f.listed_name = g->names->len ? listed_name(g, R, 0) : NULL;
  postal_interpret(g, &f);
  size_t nb = g->buildings->len < MAX_BUILDINGS ? g->buildings->len : MAX_BUILDINGS;
  building_seen seen[MAX_BUILDINGS];
  see_buildings(g, R, 0, seen, nb);
  postal_tri building = POSTAL_NO;
  for (size_t b = 0; b < nb; b++)
    building = postal_or(building, seen[b].seen);
  size_t n = g->recs->len;
  postal_tri stack[64];
  postal_tri *tri = n <= 64 ? stack : g_new(postal_tri, n);
  postal_tri siblings = POSTAL_NO;
  for (size_t k = 0; k < n; k++) {
    const postal_rec *r = g->recs->pdata[k];
    postal_tri t;
    if (r->building >= 0) {
      t = (size_t)r->building < nb ? building_row(g, r, &seen[r->building]) : POSTAL_MAYBE;
    } else {
      t = r->base ? postal_eval_list(r->base, &f) : POSTAL_YES;
      switch (r->note.kind) {
      case POSTAL_NOTE_NONE:
      case POSTAL_NOTE_EXCEPT_BUILDINGS: break;
      case POSTAL_NOTE_LIST: t = postal_and(t, postal_eval_list(r->note.list, &f)); break;
      case POSTAL_NOTE_OTHER: break; /* below */
      case POSTAL_NOTE_FLOOR:
      case POSTAL_NOTE_UNKNOWN: t = postal_and(t, POSTAL_MAYBE); break;
      }
      /* a named 高層ビル has codes of its own: the town's rows do not apply */
      if (building == POSTAL_YES) t = POSTAL_NO;
      if (building == POSTAL_MAYBE) t = postal_and(t, POSTAL_MAYBE);
    }
    tri[k] = t;
    if (r->note.kind != POSTAL_NOTE_OTHER || r->building >= 0) siblings = postal_or(siblings, t);
  }
  for (size_t k = 0; k < n; k++) {
    const postal_rec *r = g->recs->pdata[k];
    postal_tri t = postal_and(tri[k], cap);
    if (r->note.kind == POSTAL_NOTE_OTHER && r->building < 0) {
      /* （その他）: what no sibling row covers */
      postal_tri rest = siblings == POSTAL_YES  ? POSTAL_NO
                        : siblings == POSTAL_NO ? POSTAL_YES
                                                : POSTAL_MAYBE;
      t = postal_and(t, rest);
    }
    add_code(col, r, t, end_byte);
  }
  if (tri != stack) g_free(tri);
}

/* An address that names no town: the city's 一円 or の次に…番地がくる場合
 * rows, else its 以下に掲載がない場合. */
static void eval_city_level(const postal_city *c, const postal_text *R, size_t end_byte,
                            collect *col) {
  postal_facts f = {0};
  postal_read_numbers(R, 0, &f.num);
  postal_numbers *n = &f.num;
  if (!n->banchi_written && !n->chome_written && n->nnums > 0) { /* after a city: 番地 */
    n->banchi = (int32_t)n->nums[0];
    if (n->nnums > 1) n->branch = (int32_t)n->nums[1];
  }
  postal_tri others = POSTAL_NO;
  for (guint k = 0; k < c->city_level->len; k++) {
    const postal_rec *r = c->city_level->pdata[k];
    if (r->pub.is_default) continue;
    postal_tri t = POSTAL_MAYBE; /* an empty 町域 (the derived dictionary lost it) */
    if (r->pub.is_whole_city)
      t = r->note.kind == POSTAL_NOTE_LIST      ? postal_eval_list(r->note.list, &f)
          : r->note.kind == POSTAL_NOTE_UNKNOWN ? POSTAL_MAYBE
                                                : POSTAL_YES;
    others = postal_or(others, t);
    add_code(col, r, t, end_byte);
  }
  for (guint k = 0; k < c->city_level->len; k++) {
    const postal_rec *r = c->city_level->pdata[k];
    if (!r->pub.is_default) continue;
    postal_tri t = others == POSTAL_YES  ? POSTAL_NO
                   : others == POSTAL_NO ? POSTAL_YES
                                         : POSTAL_MAYBE;
    if (t == POSTAL_YES) col->by_default = true;
    add_code(col, r, t, end_byte);
  }
}

/* Can the town's name end where R starts?  Yes before a blank, a number,
 * 第N, 字/大字, a unit (丁目, 番地, 地割, 無番地 …), or one of the town's own
 * 小字 or buildings; not before any other word. */
static bool town_ends_here(const postal_group *g, const postal_text *R) {
  if (R->n == 0 || R->c[0].space) return true;
  uint32_t c = R->c[0].cp;
  if (postal_is_digit(c) || c == '-' || c == 0x5B57 /* 字 */) return true;
  if (c == 0x7B2C /* 第 */ && R->n > 1 && postal_is_digit(R->c[1].cp)) return true;
  static const char *const WORDS[] = {"大字", "丁目", "丁", "番地", "番", "号", "地割", "無番地"};
  for (size_t i = 0; i < G_N_ELEMENTS(WORDS); i++)
    if (postal_text_at(R, 0, WORDS[i])) return true;
  for (guint i = 0; i < g->names->len; i++)
    if (postal_text_at(R, 0, g->names->pdata[i])) return true;
  for (guint b = 0; b < g->buildings->len; b++) {
    const postal_building *pb = &g_array_index(g->buildings, postal_building, b);
    if (!*pb->key || postal_text_at(R, 0, pb->key)) return true;
  }
  return false;
}

/* 本町3-2-1 where the dictionary has 本町 and also 本町三丁目 as a town of
 * its own: 3-2-1 may be 本町 3番地 or 本町三丁目 2番1号, so the second town
 * counts too (as a maybe). */
static void chome_town_too(const postal_city *c, const postal_group *g, const postal_text *R,
                           const char *rest, size_t len, size_t end_byte, collect *col) {
  postal_numbers n;
  postal_read_numbers(R, 0, &n);
  if (n.chome_written || n.banchi_written || n.nnums == 0 || !R->n) return;
  size_t i = 0;
  while (i < R->n && !postal_is_digit(R->c[i].cp))
    i++;
  while (i < R->n && postal_is_digit(R->c[i].cp))
    i++;
  size_t after = i > 0 ? R->c[i - 1].end : 0;
  static const char *const UNITS[] = {"丁目", "丁"};
  for (size_t u = 0; u < G_N_ELEMENTS(UNITS); u++) {
    char *key = g_strdup_printf("%s%u%s", g->key, n.nums[0], UNITS[u]);
    const postal_group *other = group_find(c, key);
    g_free(key);
    if (!other || other == g) continue;
    postal_text R2 = {0};
    postal_fold(&R2, rest + after, len - after);
    if (R2.n && (R2.c[0].cp == '-' || R2.c[0].cp == 0x30FC /* ー */)) { /* the separator after N */
      size_t skip = after + R2.c[0].end;
      postal_fold(&R2, rest + skip, len - skip);
    }
    eval_group(other, &R2, end_byte, POSTAL_MAYBE, col);
    postal_text_free(&R2);
  }
}

/* The town (or the absence of one) after a city that ends at byte `cb`.
 * `strict` (a second reading of an address whose city was found): only towns
 * followed by something that reads like an address number count. */
static void after_city(const postal_city *c, const char *address, size_t len, size_t cb,
                       bool strict, collect *col) {
  postal_text raw = {0}, conv = {0}, R = {0};
  postal_fold_as(&raw, address + cb, len - cb, false);
  postal_fold(&conv, address + cb, len - cb);
  GArray *m = g_array_new(FALSE, FALSE, sizeof(town_match));
  find_towns(c, &raw, m);  /* 十三, 北一条西 as written */
  find_towns(c, &conv, m); /* 北1条西 for 北一条西 */
  g_array_sort(m, cmp_match_end);
  /* a town followed by a word that is none of its 小字 or buildings is not
   * that town (青葉台西 where only 青葉台 is listed; 河原町通三条上る…) */
  for (guint i = m->len; i-- > 0;) {
    const town_match *o = &g_array_index(m, town_match, i);
    postal_fold(&R, address + cb + o->end, len - cb - o->end);
    if (!town_ends_here(o->g, &R)) g_array_remove_index(m, i);
  }
  if (strict) { /* keep only towns followed by a number */
    for (guint i = m->len; i-- > 0;) {
      const town_match *o = &g_array_index(m, town_match, i);
      postal_fold(&R, address + cb + o->end, len - cb - o->end);
      if (!numberish(&R)) g_array_remove_index(m, i);
    }
  }
  if (m->len) {
    col->town_seen = true;
    const town_match *best = &g_array_index(m, town_match, 0);
    postal_fold(&R, address + cb + best->end, len - cb - best->end);
    bool best_number = numberish(&R);
    for (guint i = 0; i < m->len; i++) {
      const town_match *o = &g_array_index(m, town_match, i);
      /* shorter towns count too when the longest may have taken part of the
       * number (東2 | 1丁目 or 東21 | 丁目?), or when only they leave something
       * that reads like one */
      if (i > 0) {
        postal_fold(&R, address + cb + o->end, len - cb - o->end);
        if (!(best->digit_end || o->end == best->end || (!best_number && numberish(&R)))) continue;
      }
      eval_group(o->g, &R, cb + o->end, o->runs_on ? POSTAL_MAYBE : POSTAL_YES, col);
      if (i == 0)
        chome_town_too(c, o->g, &R, address + cb + o->end, len - cb - o->end, cb + o->end, col);
    }
  } else if (!strict && conv.n &&
             (postal_is_digit(conv.c[0].cp) ||
              (conv.c[0].cp == 0x7B2C && conv.n > 1 && postal_is_digit(conv.c[1].cp)))) {
    col->city_level_seen = true;
    eval_city_level(c, &conv, cb, col);
  } else if (!col->default_code) {
    col->default_code = c->default_code;
  }
  g_array_free(m, TRUE);
  postal_text_free(&raw);
  postal_text_free(&conv);
  postal_text_free(&R);
}

typedef struct {
  const postal_city *c;
  size_t end;
} city_match;

static gint cmp_city_end(gconstpointer a, gconstpointer b) {
  const city_match *x = a, *y = b;
  return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

/* The cities a hint names (prefecture and/or city), appended to out. */
static void hint_cities(const tg_postal *p, const tg_postal_hint *hint, int pref, GPtrArray *out) {
  if (!hint || !hint->city || !*hint->city) return;
  GString *k = g_string_new(NULL);
  fold_str(hint->city, k, false);
  GPtrArray *list = g_hash_table_lookup(p->city_keys, k->str);
  for (guint i = 0; list && i < list->len; i++) {
    const postal_city *c = list->pdata[i];
    if (pref < 0 || c->pref == pref) g_ptr_array_add(out, (gpointer)c);
  }
  g_string_free(k, TRUE);
}

static int hint_pref(const tg_postal *p, const tg_postal_hint *hint) {
  if (!hint || !hint->prefecture || !*hint->prefecture) return -1;
  GString *k = g_string_new(NULL);
  fold_str(hint->prefecture, k, false);
  int i = pref_index(p, k->str);
  g_string_free(k, TRUE);
  return i;
}

size_t tg_postal_hint_count(const tg_postal *p, const tg_postal_hint *hint) {
  if (!p || !hint) return 0;
  int pref = hint_pref(p, hint);
  if (hint->prefecture && *hint->prefecture && pref < 0) return 0;
  if (!hint->city || !*hint->city) {
    size_t n = 0;
    for (guint i = 0; pref >= 0 && i < p->cities->len; i++)
      if (((const postal_city *)p->cities->pdata[i])->pref == pref) n++;
    return n;
  }
  GPtrArray *out = g_ptr_array_new();
  hint_cities(p, hint, pref, out);
  size_t n = out->len;
  g_ptr_array_free(out, TRUE);
  return n;
}

static gint cmp_code(gconstpointer a, gconstpointer b) { return memcmp(a, b, 8); }

/* Cities written at character `pos` of A in prefecture `want` (-1: any). */
static void written_cities(const tg_postal *p, const postal_text *A, size_t pos, int want,
                           GArray *out) {
  GString *key = g_string_new(NULL);
  for (size_t i = pos; i < A->n && i - pos < p->max_city_key; i++) {
    tg_utf8_append(key, A->c[i].cp);
    GPtrArray *list = g_hash_table_lookup(p->city_keys, key->str);
    for (guint k = 0; list && k < list->len; k++) {
      const postal_city *c = list->pdata[k];
      if (want >= 0 && c->pref != want) continue;
      city_match m = {c, i + 1};
      g_array_append_val(out, m);
    }
  }
  g_string_free(key, TRUE);
}

static size_t byte_at(const postal_text *A, size_t i) { return i ? A->c[i - 1].end : 0; }

tg_postal_outcome tg_postal_derive(const tg_postal *p, const char *address, size_t len,
                                   const tg_postal_hint *hint, tg_postal_result *out) {
  memset(out, 0, sizeof *out);
  out->outcome = TG_POSTAL_NOT_FOUND;
  out->miss = TG_POSTAL_MISS_CITY;
  /* an address is a few dozen characters; a field of kilobytes is not one
   * (and would make the building search slow) */
  if (!p || !address || !p->cities || len > TG_POSTAL_MAX_ADDRESS) return out->outcome;
  postal_text A = {0};
  postal_fold_as(&A, address, len, false); /* names as written: 四日市市, 十日町市 */
  /* 1. the prefecture, else the hint's */
  int pref = -1;
  size_t pos = 0;
  for (int i = 0; i < 47 && pref < 0; i++) {
    size_t k = postal_text_at(&A, 0, p->pref_keys[i]);
    if (k) {
      pref = i;
      pos = k;
    }
  }
  int hpref = hint_pref(p, hint);
  /* 2. the cities written there (in that prefecture; failing that, a city
   * of another prefecture written without its prefecture) and the hint's */
  GArray *written = g_array_new(FALSE, FALSE, sizeof(city_match));
  written_cities(p, &A, pos, pref >= 0 ? pref : hpref, written);
  if (!written->len && pref < 0 && hpref >= 0) written_cities(p, &A, pos, -1, written);
  g_array_sort(written, cmp_city_end);
  GPtrArray *hinted = g_ptr_array_new();
  hint_cities(p, hint, pref >= 0 ? pref : hpref, hinted);
  collect col = {.codes = g_array_new(FALSE, FALSE, sizeof(code8))};
  bool use_hint = hinted->len > 0;
  if (written->len) {
    out->miss = TG_POSTAL_MISS_TOWN;
    /* 3–5. the longest city name first; shorter ones only if it finds nothing */
    for (guint i = 0; i < written->len;) {
      size_t end = g_array_index(written, city_match, i).end;
      for (; i < written->len && g_array_index(written, city_match, i).end == end; i++) {
        after_city(g_array_index(written, city_match, i).c, address, len, byte_at(&A, end), false,
                   &col);
      }
      if (col.town_seen || col.city_level_seen) break;
    }
    /* with its prefecture written the address says which city it means;
     * without, 清水町… in a list of 小樽市 may be 小樽市清水町 as well as the
     * town 清水町, and 泊村659 in a list of 泊村 its town 泊村: both readings
     * count */
    use_hint = pref < 0 && hinted->len > 0;
  }
  if (use_hint) {
    bool second = col.town_seen || col.city_level_seen;
    if (out->miss == TG_POSTAL_MISS_CITY) out->miss = TG_POSTAL_MISS_TOWN;
    for (guint h = 0; h < hinted->len; h++) {
      const postal_city *c = hinted->pdata[h];
      size_t k = c->ward ? postal_text_at(&A, pos, c->ward) : 0; /* 西区… under 横浜市 */
      after_city(c, address, len, byte_at(&A, pos + k), second, &col);
    }
    if (hinted->len > 1) col.default_code = NULL; /* not one city's */
  }
  if (col.town_seen) out->miss = TG_POSTAL_MISS_NUMBER;
  g_array_sort(col.codes, cmp_code);
  out->ncandidates = col.codes->len;
  for (guint i = 0; i < col.codes->len && i < TG_POSTAL_MAX_CANDIDATES; i++)
    memcpy(out->candidates[i], g_array_index(col.codes, code8, i).c, 8);
  if (col.codes->len == 1) {
    out->outcome = TG_POSTAL_DECIDED;
    out->miss = TG_POSTAL_MISS_NONE;
    memcpy(out->code, out->candidates[0], 8);
    out->by_default = col.by_default;
    out->town_end = col.town_end;
  } else if (col.codes->len > 1) {
    out->outcome = TG_POSTAL_AMBIGUOUS;
    out->miss = TG_POSTAL_MISS_NONE;
  } else if (out->miss == TG_POSTAL_MISS_TOWN && col.default_code) {
    memcpy(out->default_code, col.default_code, 7);
  }
  g_array_free(col.codes, TRUE);
  g_array_free(written, TRUE);
  g_ptr_array_free(hinted, TRUE);
  postal_text_free(&A);
  return out->outcome;
}
