/* schema.c — typed, located reading of YAML maps for the design and job loaders.
 *
 * Each getter validates one key and, when the value is wrong, reports exactly
 * where: the caret sits under the offending value, and the message says what
 * was expected ("a length with a unit such as 20mm or 10.5pt").  Loaders call
 * every getter and then tg_ycheck_keys(), so one pass reports every problem.
 */
#include "base/base.h"

#include <math.h>
#include <string.h>

const char *tg_ytype_name(tg_ytype t) {
  switch (t) {
  case TG_Y_SCALAR: return _("a single value");
  case TG_Y_MAP: return _("a mapping");
  case TG_Y_SEQ: return _("a list");
  }
  return "?";
}

static tg_ynode *lookup(tg_ynode *map, const char *key, bool required, const char *expect,
                        tg_diag *d) {
  if (!map || map->type != TG_Y_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->value, key) == 0) {
      map->keys[i]->used = true;
      return map->vals[i];
    }
  if (required) {
    /* a misspelt key ("widht") is reported once, as unknown with a hint */
    const char *want[1] = {key};
    for (size_t i = 0; i < map->n; i++)
      if (tg_suggest(map->keys[i]->value, want, 1)) return NULL;
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.missing-key", tg_ynode_span(map),
               "missing required key '%s' (%s)", key, _(expect));
  }
  return NULL;
}

bool tg_yexpect_map(tg_ynode *n, const char *what, tg_diag *d) {
  if (n && n->type == TG_Y_MAP) return true;
  if (n)
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(n),
               "expected a mapping for %s, found %s", _(what), tg_ytype_name(n->type));
  return false;
}

bool tg_ynode_string(tg_ynode *n, const char *what, const char **out, tg_diag *d) {
  if (n->type != TG_Y_SCALAR) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(n),
               "expected text for '%s', found %s", what, tg_ytype_name(n->type));
    return false;
  }
  *out = n->value;
  return true;
}

bool tg_yget_string(tg_ynode *map, const char *key, bool required, const char **out, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "text", d);
  if (!n) return false;
  return tg_ynode_string(n, key, out, d);
}

bool tg_ynode_length(tg_ynode *n, const char *key, double min_pt, double max_pt, double *out_pt,
                     tg_diag *d) {
  if (n->type != TG_Y_SCALAR) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(n),
               "expected a length for '%s', found %s", key, tg_ytype_name(n->type));
    return false;
  }
  double v;
  tg_unit u;
  if (!tg_parse_length(n->value, &v, &u) || u == TG_UNIT_PERCENT) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.length", tg_ynode_span(n),
               "'%s' must be a length with a unit, such as 20mm or 10.5pt", key);
    return false;
  }
  if (u == TG_UNIT_NONE) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.unit-missing", tg_ynode_span(n),
               "'%s' has no unit: write %smm or %spt", key, n->value, n->value);
    return false;
  }
  double pt = u == TG_UNIT_MM ? tg_mm_to_pt(v) : u == TG_UNIT_CM ? tg_mm_to_pt(v * 10) : v;
  if (pt < min_pt - 1e-9 || pt > max_pt + 1e-9) {
    char lo[32], hi[32];
    g_snprintf(lo, sizeof lo, "%.6g", tg_pt_to_mm(min_pt));
    g_snprintf(hi, sizeof hi, "%.6g", tg_pt_to_mm(max_pt));
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.range", tg_ynode_span(n),
               "'%s' is out of range: it must be between %smm and %smm", key, lo, hi);
    return false;
  }
  *out_pt = pt;
  return true;
}

bool tg_yget_length(tg_ynode *map, const char *key, bool required, double min_pt, double max_pt,
                    double *out_pt, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "a length such as 20mm", d);
  if (!n) return false;
  return tg_ynode_length(n, key, min_pt, max_pt, out_pt, d);
}

bool tg_yget_number(tg_ynode *map, const char *key, bool required, double min, double max,
                    double *out, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "a number", d);
  if (!n) return false;
  double v;
  if (n->type != TG_Y_SCALAR || !tg_parse_number(n->value, &v)) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.number", tg_ynode_span(n),
               "'%s' must be a plain number", key);
    return false;
  }
  if (v < min || v > max) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.range", tg_ynode_span(n),
               "'%s' is out of range: it must be between %g and %g", key, min, max);
    return false;
  }
  *out = v;
  return true;
}

bool tg_yget_int(tg_ynode *map, const char *key, bool required, long min, long max, long *out,
                 tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "a whole number", d);
  if (!n) return false;
  double v;
  if (n->type != TG_Y_SCALAR || !tg_parse_number(n->value, &v) || v != floor(v)) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.integer", tg_ynode_span(n),
               "'%s' must be a whole number", key);
    return false;
  }
  if (v < (double)min || v > (double)max) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.range", tg_ynode_span(n),
               "'%s' is out of range: it must be between %ld and %ld", key, min, max);
    return false;
  }
  *out = (long)v;
  return true;
}

bool tg_yget_bool(tg_ynode *map, const char *key, bool required, bool *out, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "true or false", d);
  if (!n) return false;
  if (tg_yscalar_is(n, "true")) {
    *out = true;
    return true;
  }
  if (tg_yscalar_is(n, "false")) {
    *out = false;
    return true;
  }
  tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.bool", tg_ynode_span(n),
             "'%s' must be true or false", key);
  return false;
}

bool tg_yget_enum(tg_ynode *map, const char *key, bool required, const char *const *names, size_t n,
                  int *out, tg_diag *d) {
  tg_ynode *v = lookup(map, key, required, "one of the listed words", d);
  if (!v) return false;
  if (v->type == TG_Y_SCALAR)
    for (size_t i = 0; i < n; i++)
      if (strcmp(v->value, names[i]) == 0) {
        *out = (int)i;
        return true;
      }
  GString *list = g_string_new(NULL);
  for (size_t i = 0; i < n; i++)
    g_string_append_printf(list, "%s%s", i ? ", " : "", names[i]);
  tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.enum", tg_ynode_span(v),
             "'%s' must be one of: %s", key, list->str);
  g_string_free(list, TRUE);
  const char *s = v->type == TG_Y_SCALAR ? tg_suggest(v->value, names, n) : NULL;
  if (s) tg_diag_hint(d, "did you mean '%s'?", s);
  return false;
}

bool tg_yget_color(tg_ynode *map, const char *key, bool required, uint32_t *out, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "a colour such as #1A1A1A", d);
  if (!n) return false;
  const char *s = n->type == TG_Y_SCALAR ? n->value : "";
  size_t len = strlen(s);
  bool ok = s[0] == '#' && (len == 7 || len == 9);
  for (size_t i = 1; ok && i < len; i++)
    ok = g_ascii_isxdigit(s[i]);
  if (!ok) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.color", tg_ynode_span(n),
               "'%s' must be a colour written #RRGGBB or #RRGGBBAA", key);
    return false;
  }
  uint32_t v = (uint32_t)g_ascii_strtoull(s + 1, NULL, 16);
  *out = len == 7 ? (v << 8) | 0xFF : v;
  return true;
}

tg_ynode *tg_yget_map(tg_ynode *map, const char *key, bool required, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "a mapping", d);
  if (!n) return NULL;
  if (n->type != TG_Y_MAP) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(n),
               "expected a mapping for '%s', found %s", key, tg_ytype_name(n->type));
    return NULL;
  }
  return n;
}

tg_ynode *tg_yget_seq(tg_ynode *map, const char *key, bool required, tg_diag *d) {
  tg_ynode *n = lookup(map, key, required, "a list", d);
  if (!n) return NULL;
  if (n->type != TG_Y_SEQ) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(n),
               "expected a list for '%s', found %s", key, tg_ytype_name(n->type));
    return NULL;
  }
  return n;
}

bool tg_ycheck_keys(tg_ynode *map, const char *what, const char *const *known, size_t n,
                    tg_diag *d) {
  if (!map || map->type != TG_Y_MAP) return true;
  bool ok = true;
  for (size_t i = 0; i < map->n; i++) {
    const char *k = map->keys[i]->value;
    bool found = false;
    for (size_t j = 0; j < n && !found; j++)
      found = strcmp(k, known[j]) == 0;
    if (found) continue;
    ok = false;
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.unknown-key", tg_ynode_span(map->keys[i]),
               "unknown key '%s' in %s", k, _(what));
    const char *s = tg_suggest(k, known, n);
    if (s) tg_diag_hint(d, "did you mean '%s'?", s);
  }
  return ok;
}
