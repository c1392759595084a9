/* load.c — design YAML → checked tg_design: the top level.
 *
 * The loader walks the YAML tree once, reading every key through the typed
 * getters of base/schema.c, so all mistakes of a file (unknown keys with a
 * suggestion, missing keys, wrong units, unknown styles, blocks off the page)
 * are reported in one pass with file:line:col.  This file reads what is
 * around the blocks: included files of named blocks and styles, colours,
 * variants, segments with their rules, styles per variant (with inheritance
 * and cycle detection) and pages with their furniture; blocks.c reads the
 * blocks.  The trees and the sources stay alive with the design: tg_text
 * values point into them, which is how the merge stage can later report a bad
 * placeholder at its exact column.
 */
#include "design/design_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DESIGN_BYTES  (4u << 20)
#define MAX_INCLUDE_DEPTH 8

static const char *const TOP_KEYS[] = {
    "kind",     "name", "page",   "include",   "colors", "styles",        "variants",
    "segments", "arms", "blocks", "furniture", "pages",  "easy-japanese", "envelope"};
static const char *const EASY_KEYS[] = {"variants", "sentence-length", "min-size", "min-ruby-size"};
static const char *const INCLUDE_KEYS[] = {"kind", "include", "colors", "styles", "blocks"};
static const char *const PAGE_KEYS[] = {"size", "width", "height"};
static const char *const STYLE_KEYS[] = {
    "inherit",     "font",       "weight", "size",
    "line-height", "align",      "color",  "hanging-punctuation",
    "ruby-size",   "line-break", "ruby"};
static const char *const PAGE_ITEM_KEYS[] = {"blocks", "furniture"};
static const char *const SEGMENT_KEYS[] = {"name", "when", "priority", "note"};
static const char *const ALIGN_NAMES[] = {"left", "center", "right", "justify"};
static const char *const WEIGHT_NAMES[] = {"regular", "bold"};

void *design_alloc(loader *L, size_t size) { return tg_arena_alloc(L->arena, size); }
char *design_strdup(loader *L, const char *s) { return tg_arena_strndup(L->arena, s, strlen(s)); }

/* ---- lookups ------------------------------------------------------------------ */

const tg_style *tg_design_find_style(const tg_design *ds, const char *name) {
  for (size_t i = 0; i < ds->nstyles; i++)
    if (strcmp(ds->styles[i].name, name) == 0) return &ds->styles[i];
  return NULL;
}

const tg_color *tg_design_find_color(const tg_design *ds, const char *name) {
  for (size_t i = 0; i < ds->ncolors; i++)
    if (strcmp(ds->colors[i].name, name) == 0) return &ds->colors[i];
  return NULL;
}

int tg_design_find_variant(const tg_design *ds, const char *name) {
  for (size_t i = 0; i < ds->nvariants; i++)
    if (strcmp(ds->variants[i], name) == 0) return (int)i;
  return -1;
}

int tg_design_find_segment(const tg_design *ds, const char *name) {
  for (size_t i = 0; i < ds->nsegments; i++)
    if (strcmp(ds->segments[i].name, name) == 0) return (int)i;
  return -1;
}

int tg_design_find_arm(const tg_design *ds, const char *name) {
  for (size_t i = 0; i < ds->narms; i++)
    if (strcmp(ds->arms[i], name) == 0) return (int)i;
  return -1;
}

uint64_t tg_design_segment_mask(const tg_design *ds, const char *type) {
  if (!ds->nsegments) return TG_ALL_SEGMENTS;
  uint64_t m = 0;
  for (size_t i = 0; i < ds->nsegments; i++)
    if (strcmp(ds->segments[i].type, type) == 0) m |= (uint64_t)1 << i;
  return m;
}

/* ---- colours ------------------------------------------------------------------ */

static bool parse_hex(const char *s, uint32_t *out) {
  size_t len = strlen(s);
  bool ok = s[0] == '#' && (len == 7 || len == 9);
  for (size_t i = 1; ok && i < len; i++)
    ok = g_ascii_isxdigit(s[i]);
  if (!ok) return false;
  uint32_t v = (uint32_t)g_ascii_strtoull(s + 1, NULL, 16);
  *out = len == 7 ? (v << 8) | 0xFF : v;
  return true;
}

bool design_get_color(loader *L, tg_ynode *m, const char *key, uint32_t *out) {
  tg_ynode *n = tg_ymap_get(m, key);
  if (!n) return false;
  if (n->type == TG_Y_SCALAR) {
    const tg_color *c = tg_design_find_color(L->design, n->value);
    if (c) {
      *out = c->rgba;
      return true;
    }
    if (parse_hex(n->value, out)) return true;
  }
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "schema.color", tg_ynode_span(n),
             L->design->ncolors
                 ? N_("'%s' must be a colour written #RRGGBB or #RRGGBBAA, or a name from colors:")
                 : N_("'%s' must be a colour written #RRGGBB or #RRGGBBAA"),
             key);
  if (n->type == TG_Y_SCALAR && L->design->ncolors) {
    const char **names = g_new(const char *, L->design->ncolors);
    for (size_t i = 0; i < L->design->ncolors; i++)
      names[i] = L->design->colors[i].name;
    const char *s = tg_suggest(n->value, names, L->design->ncolors);
    if (s) tg_diag_hint(L->d, "did you mean '%s'?", s);
    g_free(names);
  }
  return false;
}

static bool valid_name(const char *s) {
  if (!g_ascii_islower(s[0])) return false;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '-' && *p != '_') return false;
  return true;
}

/* colors: {accent: "#C00000"} from the design and its includes. */
static void load_colors(loader *L, GPtrArray *maps) {
  GArray *cols = g_array_new(FALSE, TRUE, sizeof(tg_color));
  for (guint k = 0; k < maps->len; k++) {
    tg_ynode *m = g_ptr_array_index(maps, k);
    for (size_t i = 0; i < m->n; i++) {
      const char *name = m->keys[i]->value;
      tg_ynode *v = m->vals[i];
      tg_color c = {name, 0};
      if (!valid_name(name)) {
        tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.name", tg_ynode_span(m->keys[i]),
                   "colour name '%s' must be lower-case letters, digits and '-'", name);
        continue;
      }
      if (v->type != TG_Y_SCALAR || !parse_hex(v->value, &c.rgba)) {
        tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "schema.color", tg_ynode_span(v),
                   "'%s' must be a colour written #RRGGBB or #RRGGBBAA", name);
        continue;
      }
      bool dup = false;
      for (guint j = 0; j < cols->len && !dup; j++)
        dup = strcmp(g_array_index(cols, tg_color, j).name, name) == 0;
      if (dup) {
        tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.duplicate-name",
                   tg_ynode_span(m->keys[i]), "colour '%s' is defined twice", name);
        continue;
      }
      g_array_append_val(cols, c);
    }
  }
  L->design->ncolors = cols->len;
  L->design->colors = design_alloc(L, (cols->len + 1) * sizeof(tg_color));
  if (cols->len) memcpy(L->design->colors, cols->data, cols->len * sizeof(tg_color));
  g_array_free(cols, TRUE);
}

/* ---- texts ---------------------------------------------------------------------- */

static void register_text(loader *L, tg_text *t, tg_text_kind kind) {
  t->kind = kind;
  t->slot = (int)L->texts->len;
  t->page = L->page_no;
  t->variants = L->cur_vmask;
  t->segments = L->cur_smask;
  t->guard = L->guard;
  g_ptr_array_add(L->texts, t);
}

bool design_text_from_node(loader *L, tg_ynode *n, const char *what, tg_text_kind kind,
                           tg_text *t) {
  const char *dummy;
  if (!tg_ynode_string(n, what, &dummy, L->d)) {
    if (n->type == TG_Y_SEQ && n->style == 0)
      tg_diag_hint(L->d, "a text that starts with '[' must be quoted: \"[b]…[/b]\"");
    else if (n->type == TG_Y_MAP)
      tg_diag_hint(L->d, "a text that starts with '{' must be quoted: \"{{氏名}} 様\"");
    t->text = NULL;
    t->slot = -1;
    return false;
  }
  t->text = n->value;
  t->node = n;
  register_text(L, t, kind);
  return true;
}

bool design_get_text(loader *L, tg_ynode *m, const char *key, bool required, tg_text_kind kind,
                     tg_text *t) {
  t->slot = -1;
  t->text = NULL;
  tg_ynode *n = tg_ymap_get(m, key);
  if (!n) {
    const char *dummy;
    if (required) tg_yget_string(m, key, true, &dummy, L->d); /* reports */
    return false;
  }
  tg_ymap_get_key(m, key)->used = true;
  return design_text_from_node(L, n, key, kind, t);
}

void design_text_default(loader *L, tg_ynode *at, const char *text, tg_text_kind kind, tg_text *t) {
  t->text = text;
  t->node = at; /* error locations point at the block */
  register_text(L, t, kind);
}

tg_span tg_text_span(const tg_text *t, size_t off, size_t len) {
  const tg_ynode *n = t->node;
  if (!n) return TG_SPAN_NONE;
  if (n->type != TG_Y_SCALAR || n->value != t->text) return tg_ynode_span(n);
  return tg_ynode_value_span(n, off, len);
}

/* ---- files ---------------------------------------------------------------------- */

static char *dir_of_node(tg_ynode *n) { return g_path_get_dirname(tg_source_get_name(n->src)); }

static bool inside(const char *root, const char *path) {
  size_t n = strlen(root);
  if (strcmp(root, "/") == 0) return true;
  return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

const char *design_resolve_file(loader *L, tg_ynode *at, const char *what) {
  const char *name = at->value;
  if (g_path_is_absolute(name)) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.file-outside", tg_ynode_span(at),
               "%s '%s' must be a path relative to the design's folder", what, name);
    return NULL;
  }
  char *dir = dir_of_node(at);
  char *joined = g_build_filename(dir, name, NULL);
  g_free(dir);
  char *real = realpath(joined, NULL);
  if (!real) {
    int err = errno;
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.file-missing", tg_ynode_span(at),
               "%s '%s' cannot be read: %s", what, name, g_strerror(err));
    g_free(joined);
    return NULL;
  }
  g_free(joined);
  const char *result = NULL;
  if (!inside(L->root_dir, real)) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.file-outside", tg_ynode_span(at),
               "%s '%s' is outside the design's folder", what, name);
    tg_diag_hint(L->d, "designs may only use files in their own folder (or below it)");
  } else if (!g_file_test(real, G_FILE_TEST_IS_REGULAR)) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.file-missing", tg_ynode_span(at),
               "%s '%s' is not a regular file", what, name);
  } else {
    result = design_strdup(L, real);
  }
  free(real);
  return result;
}

/* ---- ruby and easy Japanese --------------------------------------------------------------- */

bool design_get_ruby_mode(loader *L, tg_ynode *m, tg_ruby_mode *out) {
  static const char *const MODES[] = {"manual", "auto", "off"};
  int v;
  if (!tg_yget_enum(m, "ruby", false, MODES, N(MODES), &v, L->d)) return false;
  *out = (tg_ruby_mode)v;
  return true;
}

bool tg_design_uses_auto_ruby(const tg_design *ds) {
  for (size_t i = 0; i < ds->ntexts; i++)
    if (ds->texts[i]->kind == TG_TEXT_RICH && ds->texts[i]->ruby == TG_RUBY_AUTO) return true;
  return false;
}

/* `easy-japanese:` — which variants are easy Japanese and the limits
 * `tegami check` holds their texts to.  Without the key, a variant named
 * `easy` is one, with the defaults of docs/furigana.md. */
static void load_easy(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  tg_easy_rules *e = &ds->easy;
  e->max_sentence_chars = 30;
  e->min_text_pt = 12;
  e->min_ruby_pt = 6;
  e->variants = 0;
  int easy = tg_design_find_variant(ds, "easy");
  tg_ynode *m = tg_yget_map(root, "easy-japanese", false, L->d);
  if (!m) {
    if (easy >= 0) e->variants = 1u << easy;
    return;
  }
  e->span = tg_ynode_span(tg_ymap_get_key(root, "easy-japanese"));
  tg_ynode *vs = tg_ymap_get(m, "variants");
  if (vs) {
    e->variants = design_get_variant_filter(L, m);
  } else if (easy >= 0) {
    e->variants = 1u << easy;
  } else {
    e->variants = (uint32_t)((1u << ds->nvariants) - 1); /* the whole design is easy */
  }
  long n;
  if (tg_yget_int(m, "sentence-length", false, 5, 500, &n, L->d))
    e->max_sentence_chars = (uint32_t)n;
  tg_yget_length(m, "min-size", false, 4.0, 72.0, &e->min_text_pt, L->d);
  tg_yget_length(m, "min-ruby-size", false, 3.0, 36.0, &e->min_ruby_pt, L->d);
  tg_ycheck_keys(m, "easy-japanese", EASY_KEYS, N(EASY_KEYS), L->d);
}

/* ---- variants and segments ---------------------------------------------------------------- */

static void load_variants(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  static const char *const DEFAULT_VARIANTS[] = {"standard"};
  ds->variants = DEFAULT_VARIANTS;
  ds->nvariants = 1;
  tg_ynode *v = tg_yget_seq(root, "variants", false, L->d);
  if (!v) return;
  if (v->n == 0 || v->n > TG_MAX_VARIANTS) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.variants", tg_ynode_span(v),
               "a design has 1 to %d variants", TG_MAX_VARIANTS);
    return;
  }
  const char **names = design_alloc(L, (v->n + 1) * sizeof *names);
  size_t k = 0;
  for (size_t i = 0; i < v->n; i++) {
    const char *name;
    if (!tg_ynode_string(v->vals[i], "variant", &name, L->d)) continue;
    bool dup = false;
    for (size_t j = 0; j < k && !dup; j++)
      dup = strcmp(names[j], name) == 0;
    if (!valid_name(name) || design_is_schema_word(name) || dup) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, dup ? "design.duplicate-name" : "design.name",
                 tg_ynode_span(v->vals[i]),
                 dup ? N_("variant '%s' is declared twice")
                     : N_("variant name '%s' must be lower-case letters, digits and '-', and not a "
                          "key of the design format"),
                 name);
      continue;
    }
    names[k++] = name;
  }
  if (k) {
    ds->variants = names;
    ds->nvariants = k;
  }
}

static void load_segments(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  tg_ynode *types = tg_yget_map(root, "segments", false, L->d);
  if (!types) return;
  ds->segments_span = tg_ynode_span(tg_ymap_get_key(root, "segments"));
  GArray *segs = g_array_new(FALSE, TRUE, sizeof(tg_segment));
  GPtrArray *nodes = g_ptr_array_new();
  for (size_t t = 0; t < types->n; t++) {
    const char *type = types->keys[t]->value;
    tg_ynode *list = types->vals[t];
    if (list->type != TG_Y_SEQ || list->n == 0) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(list),
                 "the segments of '%s' must be a list of segments", type);
      continue;
    }
    for (size_t i = 0; i < list->n; i++) {
      tg_ynode *m = list->vals[i];
      if (!tg_yexpect_map(m, "a segment", L->d)) continue;
      tg_segment sg = {.type = type, .span = tg_ynode_span(m), .when.slot = -1};
      const char *name = NULL;
      if (tg_yget_string(m, "name", true, &name, L->d)) {
        bool dup = false;
        for (guint j = 0; j < segs->len && !dup; j++)
          dup = strcmp(g_array_index(segs, tg_segment, j).name, name) == 0;
        bool vdup = tg_design_find_variant(ds, name) >= 0;
        if (!valid_name(name) || design_is_schema_word(name) || dup || vdup) {
          tg_diag_at(
              L->d, TG_ERROR, TG_KIND_SCHEMA, dup || vdup ? "design.duplicate-name" : "design.name",
              tg_ynode_span(tg_ymap_get(m, "name")),
              dup    ? N_("segment '%s' is declared twice")
              : vdup ? N_("'%s' is already the name of a variant")
                     : N_("segment name '%s' must be lower-case letters, digits and '-', and "
                          "not a key of the design format"),
              name);
          name = NULL;
        }
      }
      sg.name = name ? name : "";
      long prio = 0;
      if (tg_yget_int(m, "priority", false, 1, TG_MAX_SEGMENTS, &prio, L->d))
        sg.priority = (int)prio;
      tg_ynode *when = tg_ymap_get(m, "when");
      const char *dummy;
      if (!when)
        tg_yget_string(m, "when", true, &dummy, L->d); /* reports */
      else if (tg_yscalar_is(when, "otherwise")) {
        tg_ymap_get_key(m, "when")->used = true;
        sg.otherwise = true;
        if (sg.priority)
          tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "segment.priority",
                     tg_ynode_span(tg_ymap_get(m, "priority")),
                     "an 'otherwise' segment is only chosen when no other matches: it takes no "
                     "priority");
      }
      const char *note;
      tg_yget_string(m, "note", false, &note, L->d);
      tg_ycheck_keys(m, "segment", SEGMENT_KEYS, N(SEGMENT_KEYS), L->d);
      if (!sg.name[0]) continue;
      for (guint j = 0; j < segs->len; j++) {
        tg_segment *o = &g_array_index(segs, tg_segment, j);
        if (strcmp(o->type, type) != 0) continue;
        if (sg.otherwise && o->otherwise)
          tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "segment.otherwise", sg.span,
                     "'%s' has two 'otherwise' segments (%s and %s)", type, o->name, sg.name);
        if (sg.priority && o->priority == sg.priority)
          tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "segment.priority",
                     tg_ynode_span(tg_ymap_get(m, "priority")),
                     "segments '%s' and '%s' have the same priority %d", o->name, sg.name,
                     sg.priority);
      }
      if (segs->len >= TG_MAX_SEGMENTS) {
        tg_diag_at(L->d, TG_ERROR, TG_KIND_LIMIT, "design.segments", sg.span,
                   "a design has at most %d segments", TG_MAX_SEGMENTS);
        break;
      }
      g_array_append_val(segs, sg);
      g_ptr_array_add(nodes, m);
    }
  }
  ds->nsegments = segs->len;
  ds->segments = design_alloc(L, (segs->len + 1) * sizeof(tg_segment));
  if (segs->len) memcpy(ds->segments, segs->data, segs->len * sizeof(tg_segment));
  g_array_free(segs, TRUE);
  /* the rules are texts: compiled against each list's columns by the merge */
  for (size_t i = 0; i < ds->nsegments; i++) {
    tg_segment *sg = &ds->segments[i];
    if (sg->otherwise) continue;
    tg_ynode *m = g_ptr_array_index(nodes, i);
    L->cur_vmask = TG_ALL_VARIANTS;
    L->cur_smask = (uint64_t)1 << i;
    design_get_text(L, m, "when", false, TG_TEXT_CONDITION, &sg->when);
  }
  g_ptr_array_free(nodes, TRUE);
}

/* The arms of an A/B experiment (`arms: [loss, gain]`): names only; the
 * job's `experiment:` decides who gets which. */
static void load_arms(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  tg_ynode *a = tg_yget_seq(root, "arms", false, L->d);
  if (!a) return;
  if (a->n < 2 || a->n > TG_MAX_ARMS) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.arms", tg_ynode_span(a),
               "a design declares 2 to %d experiment arms", TG_MAX_ARMS);
    return;
  }
  const char **names = design_alloc(L, (a->n + 1) * sizeof *names);
  size_t k = 0;
  for (size_t i = 0; i < a->n; i++) {
    const char *name;
    if (!tg_ynode_string(a->vals[i], "arm", &name, L->d)) continue;
    bool dup = false;
    for (size_t j = 0; j < k && !dup; j++)
      dup = strcmp(names[j], name) == 0;
    bool other = tg_design_find_variant(ds, name) >= 0 || tg_design_find_segment(ds, name) >= 0;
    if (!valid_name(name) || design_is_schema_word(name) || dup || other) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA,
                 dup || other ? "design.duplicate-name" : "design.name", tg_ynode_span(a->vals[i]),
                 dup     ? N_("arm '%s' is declared twice")
                 : other ? N_("'%s' is already the name of a variant or a segment")
                         : N_("arm name '%s' must be lower-case letters, digits and '-', and not a "
                              "key of the design format"),
                 name);
      continue;
    }
    names[k++] = name;
  }
  ds->arms = names;
  ds->narms = k;
}

uint32_t design_get_arm_filter(loader *L, tg_ynode *m) {
  tg_ynode *n = tg_ymap_get(m, "arms");
  if (!n) return TG_ALL_ARMS;
  tg_ymap_get_key(m, "arms")->used = true;
  const tg_design *ds = L->design;
  uint32_t mask = 0;
  size_t count = n->type == TG_Y_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++) {
    tg_ynode *v = n->type == TG_Y_SEQ ? n->vals[i] : n;
    const char *name;
    if (!tg_ynode_string(v, "arms", &name, L->d)) continue;
    int k = tg_design_find_arm(ds, name);
    if (k < 0) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-arm", tg_ynode_span(v),
                 ds->narms ? N_("unknown arm '%s'")
                           : N_("unknown arm '%s': the design declares no arms"),
                 name);
      const char *s = tg_suggest(name, ds->arms, ds->narms);
      if (s)
        tg_diag_hint(L->d, "did you mean '%s'?", s);
      else if (!ds->narms)
        tg_diag_hint(L->d, "declare them at the top: arms: [%s, …]", name);
      continue;
    }
    mask |= 1u << k;
  }
  return mask ? mask : TG_ALL_ARMS;
}

static uint64_t all_segments(const tg_design *ds) {
  if (!ds->nsegments) return TG_ALL_SEGMENTS;
  return ds->nsegments >= 64 ? TG_ALL_SEGMENTS : (((uint64_t)1 << ds->nsegments) - 1);
}

static uint32_t all_variants(const tg_design *ds) { return (uint32_t)((1u << ds->nvariants) - 1); }

uint32_t design_get_variant_filter(loader *L, tg_ynode *m) {
  tg_ynode *n = tg_ymap_get(m, "variants");
  if (!n) return all_variants(L->design);
  tg_ymap_get_key(m, "variants")->used = true;
  uint32_t mask = 0;
  size_t count = n->type == TG_Y_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++) {
    tg_ynode *v = n->type == TG_Y_SEQ ? n->vals[i] : n;
    const char *name;
    if (!tg_ynode_string(v, "variants", &name, L->d)) continue;
    int k = tg_design_find_variant(L->design, name);
    if (k < 0) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-variant", tg_ynode_span(v),
                 "unknown variant '%s'", name);
      const char *s = tg_suggest(name, L->design->variants, L->design->nvariants);
      if (s) tg_diag_hint(L->d, "did you mean '%s'?", s);
      continue;
    }
    mask |= 1u << k;
  }
  return mask ? mask : all_variants(L->design);
}

uint64_t design_get_segment_filter(loader *L, tg_ynode *m) {
  tg_ynode *n = tg_ymap_get(m, "segments");
  if (!n) return all_segments(L->design);
  tg_ymap_get_key(m, "segments")->used = true;
  uint64_t mask = 0;
  size_t count = n->type == TG_Y_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++) {
    tg_ynode *v = n->type == TG_Y_SEQ ? n->vals[i] : n;
    const char *name;
    if (!tg_ynode_string(v, "segments", &name, L->d)) continue;
    int k = tg_design_find_segment(L->design, name);
    if (k < 0) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-segment", tg_ynode_span(v),
                 L->design->nsegments ? N_("unknown segment '%s'")
                                      : N_("unknown segment '%s': the design declares no segments"),
                 name);
      const char **names = g_new(const char *, L->design->nsegments + 1);
      for (size_t j = 0; j < L->design->nsegments; j++)
        names[j] = L->design->segments[j].name;
      const char *s = tg_suggest(name, names, L->design->nsegments);
      if (s) tg_diag_hint(L->d, "did you mean '%s'?", s);
      g_free(names);
      continue;
    }
    mask |= (uint64_t)1 << k;
  }
  return mask ? mask : all_segments(L->design);
}

/* ---- styles ------------------------------------------------------------------------------ */

static const tg_style DEFAULT_STYLE = {
    .name = "default",
    .font = "BIZ UDPGothic",
    .weight = 400,
    .size_pt = 10.5,
    .line_height = 1.6,
    .align = TG_ALIGN_LEFT,
    .color = 0x000000FF,
};

/* Resolve style i of the table `tab` (recursively through inherit:),
 * detecting cycles.  nodes[i] is the style's mapping as seen by the variant. */
static bool resolve_style(loader *L, tg_style *tab, tg_ynode **nodes, size_t i, int *state) {
  size_t n = L->style_keys->len;
  tg_ynode *key = g_ptr_array_index(L->style_keys, i);
  if (state[i] == 2) return true;
  if (state[i] == 1) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.style-cycle", tg_ynode_span(key),
               "style '%s' inherits from itself", key->value);
    return false;
  }
  state[i] = 1;
  tg_ynode *m = nodes[i];
  tg_style *st = &tab[i];
  *st = DEFAULT_STYLE;
  st->name = key->value;
  st->span = tg_ynode_span(key);
  bool ok = true;
  const char *parent = NULL;
  if (tg_yget_string(m, "inherit", false, &parent, L->d)) {
    size_t j;
    for (j = 0; j < n; j++)
      if (strcmp(((tg_ynode *)g_ptr_array_index(L->style_keys, j))->value, parent) == 0) break;
    if (j == n) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-style",
                 tg_ynode_span(tg_ymap_get(m, "inherit")),
                 "style '%s' inherits from unknown style '%s'", st->name, parent);
      ok = false;
    } else if (resolve_style(L, tab, nodes, j, state)) {
      *st = tab[j];
      st->name = key->value;
      st->span = tg_ynode_span(key);
    } else {
      ok = false;
    }
  }
  tg_yget_string(m, "font", false, &st->font, L->d);
  int w;
  if (tg_yget_enum(m, "weight", false, WEIGHT_NAMES, N(WEIGHT_NAMES), &w, L->d))
    st->weight = w ? 700 : 400;
  tg_yget_length(m, "size", false, 4.0, 144.0, &st->size_pt, L->d);
  tg_yget_number(m, "line-height", false, 0.8, 4.0, &st->line_height, L->d);
  int a;
  if (tg_yget_enum(m, "align", false, ALIGN_NAMES, N(ALIGN_NAMES), &a, L->d)) st->align = a;
  design_get_color(L, m, "color", &st->color);
  tg_yget_bool(m, "hanging-punctuation", false, &st->hanging_punctuation, L->d);
  tg_yget_length(m, "ruby-size", false, 3.0, 72.0, &st->ruby_size_pt, L->d);
  static const char *const BREAKS[] = {"normal", "spaces"};
  int lb;
  if (tg_yget_enum(m, "line-break", false, BREAKS, N(BREAKS), &lb, L->d)) st->line_break = lb;
  design_get_ruby_mode(L, m, &st->ruby);
  char what[160];
  g_snprintf(what, sizeof what, _("style '%s'"), st->name);
  tg_ycheck_keys(m, what, STYLE_KEYS, N(STYLE_KEYS), L->d);
  state[i] = 2;
  return ok;
}

static bool same_style(const tg_style *a, const tg_style *b) {
  return strcmp(a->font, b->font) == 0 && a->weight == b->weight && a->size_pt == b->size_pt &&
         a->line_height == b->line_height && a->align == b->align && a->color == b->color &&
         a->hanging_punctuation == b->hanging_punctuation && a->ruby_size_pt == b->ruby_size_pt &&
         a->line_break == b->line_break && a->ruby == b->ruby;
}

/* One table of styles per variant: a style's values may differ per variant. */
static void load_styles(loader *L) {
  tg_design *ds = L->design;
  size_t n = L->style_keys->len;
  ds->nstyles = n;
  ds->styles = design_alloc(L, (n * ds->nvariants + 1) * sizeof(tg_style));
  if (!n) return;
  for (size_t i = 0; i < n; i++) {
    tg_ynode *m = g_ptr_array_index(L->style_vals, i);
    selectors sel = {0};
    design_scan_selectors(L, m, &sel);
    if (sel.by_segment)
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.selector-segment", tg_ynode_span(m),
                 "a style cannot differ per segment");
  }
  tg_diag *scratch = tg_diag_new();
  tg_diag_set_repeat_limit(scratch, 0);
  tg_ynode **nodes = g_new0(tg_ynode *, n + 1);
  int *state = g_new0(int, n + 1);
  for (size_t v = 0; v < ds->nvariants; v++) {
    L->d = v == 0 ? L->main_d : scratch;
    tg_style *tab = ds->styles + v * n;
    memset(state, 0, (n + 1) * sizeof *state);
    for (size_t i = 0; i < n; i++) {
      tg_ynode *m = g_ptr_array_index(L->style_vals, i);
      nodes[i] = design_project(L, m, ds->nvariants > 1 ? (int)v : -1, -1);
    }
    for (size_t i = 0; i < n; i++) {
      if (!tg_yexpect_map(nodes[i], "a style", L->d)) {
        tab[i] = DEFAULT_STYLE;
        tab[i].name = ((tg_ynode *)g_ptr_array_index(L->style_keys, i))->value;
        state[i] = 2;
      }
    }
    for (size_t i = 0; i < n; i++)
      resolve_style(L, tab, nodes, i, state);
    if (v > 0)
      for (size_t i = 0; i < n; i++)
        if (!same_style(&tab[i], &ds->styles[i])) L->styles_vary = true;
  }
  L->d = L->main_d;
  tg_diag_take_unique(L->d, scratch);
  tg_diag_free(scratch);
  g_free(nodes);
  g_free(state);
}

const tg_style *design_get_style(loader *L, tg_ynode *m, const char *key) {
  const tg_design *ds = L->design;
  const tg_style *tab =
      ds->styles + (L->cur_variant > 0 ? (size_t)L->cur_variant : 0) * ds->nstyles;
  const char *name = NULL;
  if (!tg_yget_string(m, key, false, &name, L->d)) {
    for (size_t i = 0; i < ds->nstyles; i++)
      if (strcmp(tab[i].name, "body") == 0) return &tab[i];
    return &DEFAULT_STYLE;
  }
  for (size_t i = 0; i < ds->nstyles; i++)
    if (strcmp(tab[i].name, name) == 0) return &tab[i];
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-style",
             tg_ynode_span(tg_ymap_get(m, key)), "unknown style '%s'", name);
  const char **names = g_new(const char *, ds->nstyles + 1);
  for (size_t i = 0; i < ds->nstyles; i++)
    names[i] = ds->styles[i].name;
  const char *s = tg_suggest(name, names, ds->nstyles);
  if (s) tg_diag_hint(L->d, "did you mean '%s'?", s);
  g_free(names);
  return &DEFAULT_STYLE;
}

/* ---- includes and named blocks ----------------------------------------------------------------
 */

typedef struct {
  GPtrArray *colors; /* tg_ynode* maps */
  GPtrArray *stack;  /* real paths being included */
  GPtrArray *shown;  /* their names as the messages show them (owned) */
  GPtrArray *seen;   /* real paths already loaded */
} inc_state;

/* A file name as reached from the design: "parts.yaml", "more/common.yaml". */
static char *shown_name(tg_ynode *at) {
  char *dir = dir_of_node(at);
  char *joined =
      strcmp(dir, ".") == 0 ? g_strdup(at->value) : g_build_filename(dir, at->value, NULL);
  g_free(dir);
  /* canonicalised against "/" so that a relative name stays relative: back
   * to a relative name only when it was one (an including design given by
   * its absolute path, /srv/jobs/layouts/a.yaml, keeps its leading '/') */
  bool relative = !g_path_is_absolute(joined);
  char *canon = g_canonicalize_filename(joined, "/");
  g_free(joined);
  char *rel = relative && g_str_has_prefix(canon, "/") ? g_strdup(canon + 1) : g_strdup(canon);
  g_free(canon);
  return rel;
}

static void add_styles(loader *L, tg_ynode *styles) {
  for (size_t i = 0; i < styles->n; i++) {
    tg_ynode *k = styles->keys[i];
    bool dup = false;
    for (guint j = 0; j < L->style_keys->len && !dup; j++) {
      tg_ynode *o = g_ptr_array_index(L->style_keys, j);
      if (strcmp(o->value, k->value) == 0) {
        uint32_t line, col;
        tg_source_locate(o->src, o->start, &line, &col);
        tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.duplicate-name", tg_ynode_span(k),
                   "style '%s' is already defined (%s:%u)", k->value, tg_source_get_name(o->src),
                   line);
        dup = true;
      }
    }
    if (dup) continue;
    g_ptr_array_add(L->style_keys, k);
    g_ptr_array_add(L->style_vals, styles->vals[i]);
  }
}

static void add_named_blocks(loader *L, tg_ynode *blocks) {
  for (size_t i = 0; i < blocks->n; i++) {
    tg_ynode *k = blocks->keys[i];
    tg_ynode *prev = g_hash_table_lookup(L->named, k->value);
    if (prev) {
      uint32_t line, col;
      tg_source_locate(prev->src, prev->start, &line, &col);
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.duplicate-name", tg_ynode_span(k),
                 "block '%s' is already defined (%s:%u)", k->value, tg_source_get_name(prev->src),
                 line);
      continue;
    }
    if (!tg_yexpect_map(blocks->vals[i], "a named block", L->d)) continue;
    g_hash_table_insert(L->named, k->value, blocks->vals[i]);
  }
}

static void load_includes(loader *L, tg_ynode *m, inc_state *S);

/* The parts a design and an included file share: include, colors, styles,
 * blocks. */
static void load_shared_parts(loader *L, tg_ynode *m, inc_state *S) {
  load_includes(L, m, S);
  tg_ynode *colors = tg_yget_map(m, "colors", false, L->d);
  if (colors) g_ptr_array_add(S->colors, colors);
  tg_ynode *styles = tg_yget_map(m, "styles", false, L->d);
  if (styles) add_styles(L, styles);
  tg_ynode *blocks = tg_yget_map(m, "blocks", false, L->d);
  if (blocks) add_named_blocks(L, blocks);
}

static void include_one(loader *L, tg_ynode *at, inc_state *S) {
  const char *path = design_resolve_file(L, at, "included file");
  if (!path) return;
  /* only YAML files: a target list named here by mistake would otherwise
   * be parsed, and its lines (personal data) quoted in the messages */
  if (!g_str_has_suffix(path, ".yaml") && !g_str_has_suffix(path, ".yml")) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.include-not-yaml", tg_ynode_span(at),
               "included file '%s' is not a YAML file (.yaml or .yml); it was not read", at->value);
    tg_diag_hint(L->d, "include brings styles, colours and named blocks from 'kind: blocks' "
                       "files; target lists belong in the job");
    return;
  }
  for (guint i = 0; i < S->stack->len; i++)
    if (strcmp(g_ptr_array_index(S->stack, i), path) == 0) {
      GString *chain = g_string_new(NULL);
      for (guint k = i; k < S->stack->len; k++)
        g_string_append_printf(chain, "%s → ", (char *)g_ptr_array_index(S->shown, k));
      g_string_append(chain, g_ptr_array_index(S->shown, i));
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.include-cycle", tg_ynode_span(at),
                 "including '%s' here makes a cycle: %s", at->value, chain->str);
      g_string_free(chain, TRUE);
      return;
    }
  for (guint i = 0; i < S->seen->len; i++)
    if (strcmp(g_ptr_array_index(S->seen, i), path) == 0) return; /* already in */
  if (S->stack->len >= MAX_INCLUDE_DEPTH) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_LIMIT, "design.include-depth", tg_ynode_span(at),
               "includes are nested deeper than %d files", MAX_INCLUDE_DEPTH);
    return;
  }
  g_ptr_array_add(S->seen, (gpointer)path);
  /* messages name the file as it was reached: relative to the design */
  char *shown = shown_name(at);
  tg_source *file = tg_source_load(path, MAX_DESIGN_BYTES, L->d);
  tg_source *src =
      file ? tg_source_new(shown, tg_source_get_text(file), tg_source_get_length(file)) : NULL;
  tg_source_free(file);
  g_free(shown);
  if (!src) return;
  tg_ydoc *doc = tg_ydoc_parse(src, L->d);
  g_ptr_array_add(L->impl->sources, src);
  if (!doc) return;
  g_ptr_array_add(L->impl->docs, doc);
  tg_ynode *root = tg_ydoc_get_root(doc);
  if (!tg_yexpect_map(root, "an included file", L->d)) return;
  const char *kind = NULL;
  if (tg_yget_string(root, "kind", true, &kind, L->d) && strcmp(kind, "blocks") != 0) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.include-kind",
               tg_ynode_span(tg_ymap_get(root, "kind")),
               "an included file is a 'blocks' file (kind: blocks), not a '%s'", kind);
    return;
  }
  g_ptr_array_add(S->stack, (gpointer)path);
  g_ptr_array_add(S->shown, g_strdup(tg_source_get_name(src)));
  load_shared_parts(L, root, S);
  g_ptr_array_set_size(S->stack, S->stack->len - 1);
  g_ptr_array_set_size(S->shown, S->shown->len - 1);
  tg_ycheck_keys(root, "an included file", INCLUDE_KEYS, N(INCLUDE_KEYS), L->d);
}

static void load_includes(loader *L, tg_ynode *m, inc_state *S) {
  tg_ynode *inc = tg_ymap_get(m, "include");
  if (!inc) return;
  tg_ymap_get_key(m, "include")->used = true;
  size_t count = inc->type == TG_Y_SEQ ? inc->n : 1;
  for (size_t i = 0; i < count; i++) {
    tg_ynode *f = inc->type == TG_Y_SEQ ? inc->vals[i] : inc;
    const char *dummy;
    if (!tg_ynode_string(f, "include", &dummy, L->d)) continue;
    include_one(L, f, S);
  }
}

/* ---- pages -------------------------------------------------------------------------------------
 */

static void load_page_size(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  ds->page_width_pt = tg_mm_to_pt(210);
  ds->page_height_pt = tg_mm_to_pt(297);
  tg_ynode *page = tg_yget_map(root, "page", false, L->d);
  if (!page) return;
  static const char *const SIZES[] = {"A4", "A5", "B5", "A3"};
  static const double DIMS[][2] = {{210, 297}, {148, 210}, {182, 257}, {297, 420}};
  int s;
  if (tg_yget_enum(page, "size", false, SIZES, N(SIZES), &s, L->d)) {
    ds->page_width_pt = tg_mm_to_pt(DIMS[s][0]);
    ds->page_height_pt = tg_mm_to_pt(DIMS[s][1]);
  }
  tg_yget_length(page, "width", false, tg_mm_to_pt(50), tg_mm_to_pt(1000), &ds->page_width_pt,
                 L->d);
  tg_yget_length(page, "height", false, tg_mm_to_pt(50), tg_mm_to_pt(1000), &ds->page_height_pt,
                 L->d);
  tg_ycheck_keys(page, "page", PAGE_KEYS, N(PAGE_KEYS), L->d);
}

static void load_block_list(loader *L, GArray *out, tg_ynode *blocks) {
  for (size_t i = 0; i < blocks->n; i++) {
    if (!tg_yexpect_map(blocks->vals[i], "a block", L->d)) continue;
    design_load_block_entry(L, out, blocks->vals[i], i, NULL);
  }
}

static void load_pages(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  tg_ynode *pages = tg_yget_seq(root, "pages", true, L->d);
  tg_ynode *furniture = tg_yget_seq(root, "furniture", false, L->d);
  if (!pages) return;
  if (pages->n == 0) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.no-pages", tg_ynode_span(pages),
               "a design needs at least one page");
    return;
  }
  ds->npages = pages->n;
  ds->pages = design_alloc(L, pages->n * sizeof *ds->pages);
  tg_diag *scratch = tg_diag_new();
  tg_diag_set_repeat_limit(scratch, 0);
  bool furniture_read = false;
  for (size_t p = 0; p < pages->n; p++) {
    L->page_no = (int)p + 1;
    tg_ynode *pm = pages->vals[p];
    if (!tg_yexpect_map(pm, "a page", L->d)) continue;
    GArray *blocks = g_array_new(FALSE, TRUE, sizeof(tg_block));
    bool with_furniture = true;
    tg_yget_bool(pm, "furniture", false, &with_furniture, L->d);
    if (furniture && with_furniture) {
      /* the same furniture on every page: its mistakes are reported once */
      L->d = furniture_read ? scratch : L->main_d;
      load_block_list(L, blocks, furniture);
      L->d = L->main_d;
      furniture_read = true;
    }
    tg_ynode *bl = tg_yget_seq(pm, "blocks", true, L->d);
    tg_ycheck_keys(pm, "page", PAGE_ITEM_KEYS, N(PAGE_ITEM_KEYS), L->d);
    if (bl) load_block_list(L, blocks, bl);
    ds->pages[p].nblocks = blocks->len;
    ds->pages[p].blocks = design_alloc(L, (blocks->len + 1) * sizeof(tg_block));
    if (blocks->len) memcpy(ds->pages[p].blocks, blocks->data, blocks->len * sizeof(tg_block));
    g_array_free(blocks, TRUE);
    design_relink(L, ds->pages[p].blocks, ds->pages[p].nblocks);
  }
  L->page_no = 0;
  tg_diag_take_unique(L->d, scratch);
  tg_diag_free(scratch);
}

/* ---- the design
 * ----------------------------------------------------------------------------------- */

tg_design *tg_design_load_text(const char *name, const char *text, size_t len, tg_diag *d) {
  tg_source *src = tg_source_new(name, text, len);
  tg_ydoc *doc = tg_ydoc_parse(src, d);
  if (!doc) {
    tg_source_free(src);
    return NULL;
  }
  tg_ynode *root = tg_ydoc_get_root(doc);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  design_impl *impl = g_new0(design_impl, 1);
  impl->src = src;
  impl->doc = doc;
  impl->arena = tg_arena_new(16 * 1024);
  impl->sources = g_ptr_array_new_with_free_func((GDestroyNotify)tg_source_free);
  impl->docs = g_ptr_array_new_with_free_func((GDestroyNotify)tg_ydoc_free);
  loader L = {.design = &impl->pub,
              .impl = impl,
              .arena = impl->arena,
              .texts = g_ptr_array_new(),
              .d = d,
              .main_d = d,
              .cur_variant = -1,
              .cur_segment = -1,
              .guard = -1,
              .flow_ruby = -1};
  L.style_keys = g_ptr_array_new();
  L.style_vals = g_ptr_array_new();
  L.named = g_hash_table_new(g_str_hash, g_str_equal);
  char *dir = g_path_get_dirname(name);
  char *real = realpath(dir, NULL);
  L.root_dir = g_strdup(real ? real : dir);
  free(real);
  g_free(dir);
  tg_design *ds = &impl->pub;
  ds->path = tg_source_get_name(src);
  ds->name = "";
  static const char *const DEFAULT_VARIANTS[] = {"standard"};
  ds->variants = DEFAULT_VARIANTS;
  ds->nvariants = 1;
  if (tg_yexpect_map(root, "a design", d)) {
    const char *kind = NULL;
    if (tg_yget_string(root, "kind", true, &kind, d) && strcmp(kind, "design") != 0) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "design.kind",
                 tg_ynode_span(tg_ymap_get(root, "kind")),
                 "this file is a '%s', not a design (expected kind: design)", kind);
    }
    tg_yget_string(root, "name", false, &ds->name, d);
    load_page_size(&L, root);
    inc_state S = {g_ptr_array_new(), g_ptr_array_new(), g_ptr_array_new_with_free_func(g_free),
                   g_ptr_array_new()};
    char *self = realpath(name, NULL); /* the design itself, so including it is a cycle */
    const char *self_path = design_strdup(&L, self ? self : name);
    free(self);
    g_ptr_array_add(S.stack, (gpointer)self_path);
    g_ptr_array_add(S.shown, g_strdup(tg_source_get_name(src)));
    load_shared_parts(&L, root, &S);
    load_colors(&L, S.colors);
    g_ptr_array_free(S.colors, TRUE);
    g_ptr_array_free(S.stack, TRUE);
    g_ptr_array_free(S.shown, TRUE);
    g_ptr_array_free(S.seen, TRUE);
    load_variants(&L, root);
    load_easy(&L, root);
    load_segments(&L, root);
    load_arms(&L, root);
    L.cur_vmask = all_variants(ds);
    L.cur_smask = all_segments(ds);
    load_styles(&L);
    load_pages(&L, root);
    design_load_envelope(&L, root);
    design_check_envelope(&L);
    tg_ycheck_keys(root, "the design", TOP_KEYS, N(TOP_KEYS), d);
  }
  ds->ntexts = L.texts->len;
  ds->texts = design_alloc(&L, (L.texts->len + 1) * sizeof *ds->texts);
  if (L.texts->len) memcpy(ds->texts, L.texts->pdata, L.texts->len * sizeof *ds->texts);
  g_ptr_array_free(L.texts, TRUE);
  g_ptr_array_free(L.style_keys, TRUE);
  g_ptr_array_free(L.style_vals, TRUE);
  g_hash_table_destroy(L.named);
  g_free(L.root_dir);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_design_free(ds);
    return NULL;
  }
  return ds;
}

tg_design *tg_design_load(const char *path, tg_diag *d) {
  tg_source *src = tg_source_load(path, MAX_DESIGN_BYTES, d);
  if (!src) return NULL;
  tg_design *ds = tg_design_load_text(path, tg_source_get_text(src), tg_source_get_length(src), d);
  tg_source_free(src);
  return ds;
}

void tg_design_free(tg_design *ds) {
  if (!ds) return;
  design_impl *impl = (design_impl *)ds;
  g_ptr_array_free(impl->docs, TRUE);
  g_ptr_array_free(impl->sources, TRUE);
  tg_ydoc_free(impl->doc);
  tg_source_free(impl->src);
  tg_arena_free(impl->arena);
  g_free(impl);
}
