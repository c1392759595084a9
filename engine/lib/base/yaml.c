/* yaml.c — YAML documents as a node tree that remembers where each node came from.
 *
 * libyaml's event parser feeds a small tree (maps, sequences, scalars) in
 * which every node keeps its byte range in the source, so later schema checks
 * can point at the exact key or value.  libyaml marks are zero-based and count
 * characters; they are converted once, here.  The subset accepted is what
 * designs and jobs need and nothing that can blow up: no anchors or aliases
 * (no "billion laughs"), no custom tags, no duplicate keys, nesting at most 64
 * deep and at most 1,000,000 nodes.
 */
#include "base/base.h"

#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64
#define MAX_NODES 1000000

struct tg_ydoc {
  tg_arena *arena;
  tg_ynode *root;
};

typedef struct {
  tg_ynode *node;
  GPtrArray *keys, *vals;
  tg_ynode *pending_key; /* map: key waiting for its value */
  GHashTable *index;     /* key text -> key node, once a map has many keys */
} frame;

#define INDEX_FROM 16 /* below this many keys a linear scan is cheaper */

/* The earlier key of f with the text of n, or NULL.  Linear in the number of
 * keys overall: a map of 200,000 keys must not take 2*10^10 comparisons. */
static tg_ynode *find_key(frame *f, const tg_ynode *n) {
  if (!f->index && f->keys->len >= INDEX_FROM) {
    f->index = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < f->keys->len; i++) {
      tg_ynode *k = g_ptr_array_index(f->keys, i);
      g_hash_table_insert(f->index, k->value, k);
    }
  }
  if (f->index) return g_hash_table_lookup(f->index, n->value);
  for (guint i = 0; i < f->keys->len; i++) {
    tg_ynode *k = g_ptr_array_index(f->keys, i);
    if (strcmp(k->value, n->value) == 0) return k;
  }
  return NULL;
}

static size_t mark_offset(const tg_source *src, yaml_mark_t m) {
  return tg_source_offset(src, (uint32_t)m.line + 1, (uint32_t)m.column + 1);
}

static tg_span span_at(const tg_source *src, yaml_mark_t m) {
  return (tg_span){src, (uint32_t)m.line + 1, (uint32_t)m.column + 1, 1};
}

static tg_ynode *node_new(tg_ydoc *doc, const tg_source *src, tg_ytype t, yaml_mark_t a,
                          yaml_mark_t b) {
  tg_ynode *n = tg_arena_alloc(doc->arena, sizeof *n);
  n->type = t;
  n->src = src;
  n->start = mark_offset(src, a);
  n->end = mark_offset(src, b);
  return n;
}

static void frame_close(tg_ydoc *doc, frame *f) {
  tg_ynode *n = f->node;
  n->n = f->vals->len;
  if (n->n) {
    n->vals = tg_arena_alloc(doc->arena, n->n * sizeof *n->vals);
    memcpy(n->vals, f->vals->pdata, n->n * sizeof *n->vals);
    if (f->keys) {
      n->keys = tg_arena_alloc(doc->arena, n->n * sizeof *n->keys);
      memcpy(n->keys, f->keys->pdata, n->n * sizeof *n->keys);
    }
  }
  if (f->keys) g_ptr_array_free(f->keys, TRUE);
  if (f->index) g_hash_table_destroy(f->index);
  g_ptr_array_free(f->vals, TRUE);
}

/* Attach a finished node to the innermost open collection (or make it root).
 * Returns false after reporting a duplicate or non-scalar key. */
static bool attach(tg_ydoc *doc, GArray *stack, tg_ynode *n, tg_diag *d) {
  if (stack->len == 0) {
    doc->root = n;
    return true;
  }
  frame *f = &g_array_index(stack, frame, stack->len - 1);
  if (f->node->type == TG_Y_SEQ) {
    g_ptr_array_add(f->vals, n);
    return true;
  }
  if (!f->pending_key) {
    if (n->type != TG_Y_SCALAR) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.complex-key", tg_ynode_span(n),
                 "a mapping key must be a plain scalar");
      return false;
    }
    tg_ynode *k = find_key(f, n);
    if (k) {
      uint32_t line, col;
      tg_source_locate(k->src, k->start, &line, &col);
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.duplicate-key", tg_ynode_span(n),
                 "duplicate key '%s' (first given on line %u)", n->value, line);
      return false;
    }
    f->pending_key = n;
    return true;
  }
  g_ptr_array_add(f->keys, f->pending_key);
  if (f->index) g_hash_table_insert(f->index, f->pending_key->value, f->pending_key);
  g_ptr_array_add(f->vals, n);
  f->pending_key = NULL;
  return true;
}

/* Does the value on this line start with [ or {?  A syntax error there is
 * almost always a text with markup or a placeholder that needs quotes.
 * Returns the character, or 0. */
static char starts_flow(const tg_source *src, uint32_t line) {
  size_t n;
  const char *l = tg_source_get_line(src, line, &n);
  if (!l) return 0;
  size_t i = 0;
  while (i < n && l[i] == ' ')
    i++;
  if (i + 1 < n && l[i] == '-' && l[i + 1] == ' ')
    i += 2; /* a list item */
  else {
    while (i + 1 < n && !(l[i] == ':' && l[i + 1] == ' '))
      i++;
    if (i + 1 >= n) return 0;
    i += 2;
  }
  while (i < n && l[i] == ' ')
    i++;
  return i < n && (l[i] == '[' || l[i] == '{') ? l[i] : 0;
}

/* Designs and jobs are UTF-8 text.  libyaml stops at a byte that is not
 * UTF-8, or at a control character, but says "line 1, column 1" for both;
 * find the byte ourselves so the message points at it (a file saved as
 * Shift_JIS is the usual cause). */
static bool check_utf8(const tg_source *src, tg_diag *d) {
  const char *text = tg_source_get_text(src);
  size_t len = tg_source_get_length(src);
  uint32_t line = 1, col = 1;
  for (size_t i = 0; i < len;) {
    if (text[i] == '\n') {
      line++, col = 1, i++;
      continue;
    }
    uint32_t cp;
    int n = tg_utf8_decode(text + i, len - i, &cp);
    if (cp == 0xFFFD && n != 3) {       /* 3 bytes: a real U+FFFD */
      tg_span at = {src, line, col, 1}; /* a variable: xgettext misreads {…} arguments */
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.encoding", at,
                 "the file is not UTF-8: byte 0x%02X cannot be read as text",
                 (unsigned)(unsigned char)text[i]);
      tg_diag_hint(d, "save it as UTF-8; designs and jobs are read only as UTF-8 (a file from "
                      "Windows Notepad or Excel may be Shift_JIS)");
      return false;
    }
    if ((cp < 0x20 && cp != '\t' && cp != '\r') || cp == 0x7F) {
      tg_span at = {src, line, col, 1};
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.encoding", at,
                 "the file holds a control character (0x%02X), which YAML does not allow",
                 (unsigned)cp);
      return false;
    }
    col++, i += (size_t)n;
  }
  return true;
}

tg_ydoc *tg_ydoc_parse(const tg_source *src, tg_diag *d) {
  if (!check_utf8(src, d)) return NULL;
  tg_ydoc *doc = g_new0(tg_ydoc, 1);
  doc->arena = tg_arena_new(64 * 1024);
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)tg_source_get_text(src),
                               tg_source_get_length(src));
  GArray *stack = g_array_new(FALSE, TRUE, sizeof(frame));
  bool ok = true, done = false;
  size_t nodes = 0;
  int docs = 0;
  while (ok && !done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) {
      tg_span sp = span_at(src, p.problem_mark);
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.syntax", sp, "YAML syntax error: %s%s%s",
                 p.problem ? p.problem : "malformed document", p.context ? " " : "",
                 p.context ? p.context : "");
      char quote = starts_flow(src, sp.line);
      if (quote)
        tg_diag_hint(d, "a text that starts with '%c' must be quoted: \"%s\"", quote,
                     quote == '[' ? "[b]…[/b]…" : "{{氏名}} 様");
      else if (p.context && (p.context_mark.line != p.problem_mark.line ||
                             p.context_mark.column != p.problem_mark.column))
        tg_diag_hint(d, "what was left open starts at line %zu, column %zu",
                     p.context_mark.line + 1, p.context_mark.column + 1);
      ok = false;
      break;
    }
    const char *anchor = NULL, *tag = NULL;
    switch (ev.type) {
    case YAML_SCALAR_EVENT:
      anchor = (const char *)ev.data.scalar.anchor;
      tag = (const char *)ev.data.scalar.tag;
      break;
    case YAML_SEQUENCE_START_EVENT:
      anchor = (const char *)ev.data.sequence_start.anchor;
      tag = (const char *)ev.data.sequence_start.tag;
      break;
    case YAML_MAPPING_START_EVENT:
      anchor = (const char *)ev.data.mapping_start.anchor;
      tag = (const char *)ev.data.mapping_start.tag;
      break;
    default: break;
    }
    if (anchor || ev.type == YAML_ALIAS_EVENT) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.alias", span_at(src, ev.start_mark),
                 "YAML anchors and aliases are not supported in tegami files");
      tg_diag_hint(d, "share settings with named styles, or reuse blocks with include:");
      ok = false;
    } else if (tag && strncmp(tag, "tag:yaml.org,2002:", 18) != 0) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.tag", span_at(src, ev.start_mark),
                 "YAML tags are not supported in tegami files");
      ok = false;
    } else if (++nodes > MAX_NODES) {
      tg_diag_at(d, TG_ERROR, TG_KIND_LIMIT, "yaml.too-many-nodes", span_at(src, ev.start_mark),
                 "the document has more than %d nodes", MAX_NODES);
      ok = false;
    }
    if (!ok) {
      yaml_event_delete(&ev);
      break;
    }
    switch (ev.type) {
    case YAML_DOCUMENT_START_EVENT:
      if (++docs > 1) {
        tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.multi-doc", span_at(src, ev.start_mark),
                   "a tegami file holds exactly one YAML document");
        ok = false;
      }
      break;
    case YAML_SCALAR_EVENT: {
      tg_ynode *n = node_new(doc, src, TG_Y_SCALAR, ev.start_mark, ev.end_mark);
      n->value =
          tg_arena_strndup(doc->arena, (const char *)ev.data.scalar.value, ev.data.scalar.length);
      n->value_len = ev.data.scalar.length;
      n->style = ev.data.scalar.style;
      if (strlen(n->value) != n->value_len) {
        tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.nul", tg_ynode_span(n),
                   "a value contains a NUL character");
        ok = false;
        break;
      }
      ok = attach(doc, stack, n, d);
      break;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (stack->len >= MAX_DEPTH) {
        tg_diag_at(d, TG_ERROR, TG_KIND_LIMIT, "yaml.too-deep", span_at(src, ev.start_mark),
                   "the document is nested deeper than %d levels", MAX_DEPTH);
        ok = false;
        break;
      }
      bool is_map = ev.type == YAML_MAPPING_START_EVENT;
      frame f = {0};
      f.node = node_new(doc, src, is_map ? TG_Y_MAP : TG_Y_SEQ, ev.start_mark, ev.end_mark);
      f.vals = g_ptr_array_new();
      if (is_map) f.keys = g_ptr_array_new();
      g_array_append_val(stack, f);
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      frame f = g_array_index(stack, frame, stack->len - 1);
      g_array_set_size(stack, stack->len - 1);
      f.node->end = mark_offset(src, ev.end_mark);
      frame_close(doc, &f);
      ok = attach(doc, stack, f.node, d);
      break;
    }
    case YAML_STREAM_END_EVENT: done = true; break;
    default: break;
    }
    yaml_event_delete(&ev);
  }
  for (guint i = 0; i < stack->len; i++) {
    frame *f = &g_array_index(stack, frame, i);
    if (f->keys) g_ptr_array_free(f->keys, TRUE);
    if (f->index) g_hash_table_destroy(f->index);
    g_ptr_array_free(f->vals, TRUE);
  }
  g_array_free(stack, TRUE);
  yaml_parser_delete(&p);
  if (ok && !doc->root) {
    tg_span start = {src, 1, 1, 1};
    tg_diag_at(d, TG_ERROR, TG_KIND_SYNTAX, "yaml.empty", start, "the file is empty");
    ok = false;
  }
  if (!ok) {
    tg_ydoc_free(doc);
    return NULL;
  }
  return doc;
}

tg_ynode *tg_ydoc_get_root(tg_ydoc *doc) { return doc->root; }

void tg_ydoc_free(tg_ydoc *doc) {
  if (!doc) return;
  tg_arena_free(doc->arena);
  g_free(doc);
}

tg_span tg_ynode_span(const tg_ynode *n) {
  uint32_t line, col;
  tg_source_locate(n->src, n->start, &line, &col);
  tg_span s = {n->src, line, col, 1};
  if (n->type == TG_Y_SCALAR) {
    /* cover the scalar on its first line */
    const char *text = tg_source_get_text(n->src);
    size_t e = n->end;
    for (size_t i = n->start; i < n->end; i++)
      if (text[i] == '\n') {
        e = i;
        break;
      }
    size_t chars = tg_utf8_count(text + n->start, e - n->start);
    s.len = chars ? (uint32_t)chars : 1;
  }
  return s;
}

/* Width in bytes of a double-quoted escape starting at p ('\\'). */
static size_t escape_len(const char *p, const char *end) {
  if (p + 1 >= end) return 1;
  switch (p[1]) {
  case 'x': return 4;
  case 'u': return 6;
  case 'U': return 10;
  default: return 2;
  }
}

tg_span tg_ynode_value_span(const tg_ynode *n, size_t off, size_t len) {
  const char *text = tg_source_get_text(n->src);
  const char *s = text + n->start, *end = text + n->end;
  size_t indent = 0;
  bool block = n->style == YAML_LITERAL_SCALAR_STYLE || n->style == YAML_FOLDED_SCALAR_STYLE;
  if (block) {
    while (s < end && *s != '\n')
      s++; /* skip the "|" header line */
    if (s < end) s++;
    const char *q = s;
    while (q < end && *q == ' ')
      q++, indent++;
    s = q;
  } else if (n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
             n->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
    s++;
  }
  const char *v = n->value, *vend = n->value + (off < n->value_len ? off : n->value_len);
  while (v < vend && s < end) {
    char c = *v;
    if (n->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && *s == '\\') {
      s += escape_len(s, end);
      v = tg_utf8_next(v);
    } else if (n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE && s[0] == '\'' && s + 1 < end &&
               s[1] == '\'') {
      s += 2;
      v++;
    } else if (*s == c) {
      s++;
      v++;
      if (c == '\n' && block)
        for (size_t k = 0; k < indent && s < end && *s == ' '; k++)
          s++;
    } else if ((c == ' ' || c == '\n') && (*s == ' ' || *s == '\n' || *s == '\r')) {
      while (s < end && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
        s++;
      v++;
    } else {
      v = tg_utf8_next(v); /* cannot align: keep the source position */
    }
  }
  uint32_t line, col;
  tg_source_locate(n->src, (size_t)(s - text), &line, &col);
  size_t chars = len ? tg_utf8_count(n->value + off, len) : 1;
  return (tg_span){n->src, line, col, chars ? (uint32_t)chars : 1};
}

tg_ynode *tg_ymap_get(tg_ynode *map, const char *key) {
  if (!map || map->type != TG_Y_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->value, key) == 0) return map->vals[i];
  return NULL;
}

tg_ynode *tg_ymap_get_key(tg_ynode *map, const char *key) {
  if (!map || map->type != TG_Y_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->value, key) == 0) return map->keys[i];
  return NULL;
}

bool tg_yscalar_is(const tg_ynode *n, const char *s) {
  return n && n->type == TG_Y_SCALAR && strcmp(n->value, s) == 0;
}
