/* select.c — values that differ per variant or per segment.
 *
 * Anywhere in a style or a block, a value may be written as a mapping from
 * variant names (`{standard: …, easy: …}`) or from segment names
 * (`{young: …, senior: …}`) to values.  Such a selector map is recognised by
 * its keys, which is why variant and segment names must differ from each
 * other and from every key of the schema.  The loader scans a block for
 * selector maps, then reads it once per variant (or segment) through
 * design_project(), which returns the tree with each selector map replaced
 * by the entry of that variant: untouched subtrees are shared, replaced ones
 * are copied into the design's arena, and every node keeps its position in
 * the source, so messages still point at the right characters.
 */
#include "design/design_private.h"

#include <string.h>

typedef enum { MAP_PLAIN, MAP_VARIANT, MAP_SEGMENT, MAP_MIXED } map_kind;

static int variant_index(const tg_design *ds, const char *name) {
  return tg_design_find_variant(ds, name);
}

static int segment_index(const tg_design *ds, const char *name) {
  return tg_design_find_segment(ds, name);
}

static map_kind classify(loader *L, const tg_ynode *m) {
  size_t nv = 0, ns = 0;
  for (size_t i = 0; i < m->n; i++) {
    const char *k = m->keys[i]->value;
    if (L->design->nvariants > 1 && variant_index(L->design, k) >= 0)
      nv++;
    else if (segment_index(L->design, k) >= 0)
      ns++;
  }
  if (nv == 0 && ns == 0) return MAP_PLAIN;
  if (nv == m->n) return MAP_VARIANT;
  if (ns == m->n) return MAP_SEGMENT;
  return MAP_MIXED;
}

/* A selector map with a key that names no variant (or segment): most often
 * a misspelt name, so each stranger is reported with a suggestion. */
static void report_mixed(loader *L, tg_ynode *m) {
  const tg_design *ds = L->design;
  L->selector_errors++;
  bool variants = false;
  for (size_t i = 0; i < m->n && !variants; i++)
    variants = ds->nvariants > 1 && variant_index(ds, m->keys[i]->value) >= 0;
  const char **names = g_new(const char *, ds->nsegments + ds->nvariants + 1);
  size_t nn = 0;
  if (variants)
    for (size_t i = 0; i < ds->nvariants; i++)
      names[nn++] = ds->variants[i];
  else
    for (size_t i = 0; i < ds->nsegments; i++)
      names[nn++] = ds->segments[i].name;
  for (size_t i = 0; i < m->n; i++) {
    const char *k = m->keys[i]->value;
    if ((ds->nvariants > 1 && variant_index(ds, k) >= 0) || segment_index(ds, k) >= 0) continue;
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.selector-mixed", tg_ynode_span(m->keys[i]),
               "'%s' is not a %s of the design, but the other keys "
               "of this mapping are",
               k, variants ? "variant" : "segment");
    const char *s = tg_suggest(k, names, nn);
    if (s) tg_diag_hint(L->d, "did you mean '%s'?", s);
  }
  g_free(names);
}

bool design_is_schema_word(const char *name) {
  static const char *const TOP[] = {"kind",      "name",       "page",
                                    "include",   "colors",     "styles",
                                    "variants",  "segments",   "blocks",
                                    "furniture", "pages",      "size",
                                    "width",     "height",     "inherit",
                                    "font",      "weight",     "line-height",
                                    "align",     "color",      "hanging-punctuation",
                                    "ruby-size", "line-break", "when",
                                    "priority",  "note",       "cells",
                                    "use",       "otherwise"};
  for (size_t i = 0; i < N(TOP); i++)
    if (strcmp(TOP[i], name) == 0) return true;
  return design_block_key_known(name);
}

void design_scan_selectors(loader *L, tg_ynode *n, selectors *out) {
  if (!n) return;
  if (n->type == TG_Y_SEQ) {
    for (size_t i = 0; i < n->n; i++)
      design_scan_selectors(L, n->vals[i], out);
    return;
  }
  if (n->type != TG_Y_MAP) return;
  map_kind k = classify(L, n);
  if (k == MAP_VARIANT) out->by_variant = true;
  if (k == MAP_SEGMENT) {
    out->by_segment = true;
    for (size_t i = 0; i < n->n; i++) {
      int s = segment_index(L->design, n->keys[i]->value);
      const char *type = L->design->segments[s].type;
      out->segment_types |= tg_design_segment_mask(L->design, type);
    }
  }
  for (size_t i = 0; i < n->n; i++) {
    /* a child of a flow limited to some variants or segments: the flow is
     * read once per variant or segment so the child can be left out */
    const char *key = n->keys[i]->value;
    if (k == MAP_PLAIN && strcmp(key, "variants") == 0 && L->design->nvariants > 1)
      out->by_variant = true;
    if (k == MAP_PLAIN && strcmp(key, "segments") == 0 && L->design->nsegments) {
      out->by_segment = true;
      out->segment_types |= TG_ALL_SEGMENTS;
    }
    design_scan_selectors(L, n->vals[i], out);
  }
}

static tg_ynode *copy_node(loader *L, const tg_ynode *n) {
  tg_ynode *c = design_alloc(L, sizeof *c);
  *c = *n;
  return c;
}

static tg_ynode *pick(loader *L, tg_ynode *m, const char *name, const char *dimension,
                      const char *limit_key) {
  tg_ynode *v = tg_ymap_get(m, name);
  if (v) return v;
  L->selector_errors++;
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.selector-missing", tg_ynode_span(m),
             "no value for %s '%s' here", dimension, name);
  tg_diag_hint(L->d, "add '%s:', or limit the block with '%s:'", name, limit_key);
  return NULL;
}

/* Does the list (a name or a sequence of names) name `name`?  Malformed
 * entries count as naming it: the block's reader reports them. */
static bool names_include(const tg_ynode *list, const char *name) {
  size_t count = list->type == TG_Y_SEQ ? list->n : 1;
  for (size_t i = 0; i < count; i++) {
    const tg_ynode *e = list->type == TG_Y_SEQ ? list->vals[i] : list;
    if (e->type != TG_Y_SCALAR || strcmp(e->value, name) == 0) return true;
  }
  return false;
}

/* A block (a flow's child) whose own `variants:`/`segments:` leave out the
 * copy being projected: it is not read for it, so its selector maps need no
 * entry for it. */
static bool block_left_out(loader *L, tg_ynode *n, int v, int s) {
  if (!tg_ymap_get(n, "type")) return false;
  tg_ynode *vs = tg_ymap_get(n, "variants"), *ss = tg_ymap_get(n, "segments");
  if (v >= 0 && vs && !names_include(vs, L->design->variants[v])) return true;
  if (s >= 0 && ss && !names_include(ss, L->design->segments[s].name)) return true;
  return false;
}

tg_ynode *design_project(loader *L, tg_ynode *n, int v, int s) {
  if (!n || n->type == TG_Y_SCALAR) return n;
  if (n->type == TG_Y_SEQ) {
    tg_ynode **vals = NULL;
    size_t k = 0;
    for (size_t i = 0; i < n->n; i++) {
      tg_ynode *p = design_project(L, n->vals[i], v, s);
      if (p != n->vals[i] && !vals) {
        vals = design_alloc(L, (n->n + 1) * sizeof *vals);
        for (size_t j = 0; j < i; j++)
          vals[j] = n->vals[j];
        k = i;
      }
      if (vals && p) vals[k++] = p;
    }
    if (!vals) return n;
    tg_ynode *c = copy_node(L, n);
    c->vals = vals;
    c->n = k;
    return c;
  }
  switch (classify(L, n)) {
  case MAP_VARIANT:
    if (v < 0) return n; /* not read per variant: the reader reports the mapping */
    return design_project(L, pick(L, n, L->design->variants[v], "variant", "variants"), v, s);
  case MAP_SEGMENT:
    if (s < 0) return n;
    return design_project(L, pick(L, n, L->design->segments[s].name, "segment", "segments"), v, s);
  case MAP_MIXED: report_mixed(L, n); return n;
  case MAP_PLAIN: break;
  }
  if (block_left_out(L, n, v, s)) return n;
  tg_ynode **vals = NULL, **keys = NULL;
  size_t k = 0;
  for (size_t i = 0; i < n->n; i++) {
    tg_ynode *p = design_project(L, n->vals[i], v, s);
    if (p != n->vals[i] && !vals) {
      vals = design_alloc(L, (n->n + 1) * sizeof *vals);
      keys = design_alloc(L, (n->n + 1) * sizeof *keys);
      for (size_t j = 0; j < i; j++)
        vals[j] = n->vals[j], keys[j] = n->keys[j];
      k = i;
    }
    if (vals && p) vals[k] = p, keys[k++] = n->keys[i];
  }
  if (!vals) return n;
  tg_ynode *c = copy_node(L, n);
  c->vals = vals;
  c->keys = keys;
  c->n = k;
  return c;
}
