/* attrs.c — tg_attr_list: a growable attribute list that owns its strings.
 *
 * Ruby comes from several places (design markup, the reading dictionary,
 * MeCab, a name's カナ column) and is collected per text into one list.  The
 * list refuses ruby that would overlap ruby it already holds, so the order
 * in which sources add ruby is their precedence: explicit first, automatic
 * last.  Strings live in a GStringChunk, which never moves what it stored, so
 * tg_attr pointers stay valid while the list grows.
 */
#include "ruby/ruby_private.h"

#include <string.h>

struct tg_attr_list {
  GArray *v;             /* tg_attr, in the order added */
  GStringChunk *strings; /* ruby and font strings */
  GArray *sorted;        /* tg_attr sorted by start, rebuilt on demand */
  bool dirty;
  tg_attrs view;
};

tg_attr_list *tg_attr_list_new(void) {
  tg_attr_list *l = g_new0(tg_attr_list, 1);
  l->v = g_array_new(FALSE, TRUE, sizeof(tg_attr));
  l->sorted = g_array_new(FALSE, TRUE, sizeof(tg_attr));
  l->strings = g_string_chunk_new(1024);
  return l;
}

void tg_attr_list_free(tg_attr_list *l) {
  if (!l) return;
  g_array_free(l->v, TRUE);
  g_array_free(l->sorted, TRUE);
  g_string_chunk_free(l->strings);
  g_free(l);
}

void tg_attr_list_clear(tg_attr_list *l) {
  g_array_set_size(l->v, 0);
  g_array_set_size(l->sorted, 0);
  g_string_chunk_clear(l->strings);
  l->dirty = false;
  l->view = (tg_attrs){0, NULL};
}

bool tg_attr_list_has_ruby(const tg_attr_list *l, uint32_t start, uint32_t end) {
  for (guint i = 0; i < l->v->len; i++) {
    const tg_attr *a = &g_array_index(l->v, tg_attr, i);
    if (a->type == TG_ATTR_RUBY && a->start < end && start < a->end) return true;
  }
  return false;
}

bool tg_attr_list_add(tg_attr_list *l, const tg_attr *a) {
  tg_attr c = *a;
  if (c.type == TG_ATTR_RUBY) {
    if (c.end <= c.start || !c.u.ruby || tg_attr_list_has_ruby(l, c.start, c.end)) return false;
    c.u.ruby = g_string_chunk_insert(l->strings, c.u.ruby);
  } else if (c.type == TG_ATTR_FONT && c.u.font) {
    c.u.font = g_string_chunk_insert_const(l->strings, c.u.font);
  }
  g_array_append_val(l->v, c);
  l->dirty = true;
  return true;
}

bool tg_attr_list_add_ruby(tg_attr_list *l, uint32_t start, uint32_t end, const char *ruby,
                           size_t len) {
  if (end <= start || tg_attr_list_has_ruby(l, start, end)) return false;
  tg_attr a = {.start = start, .end = end, .type = TG_ATTR_RUBY};
  a.u.ruby = g_string_chunk_insert_len(l->strings, ruby, (gssize)len);
  g_array_append_val(l->v, a);
  l->dirty = true;
  return true;
}

bool tg_attr_list_append(tg_attr_list *l, const tg_attrs *src, uint32_t shift) {
  bool all = true;
  for (size_t i = 0; src && i < src->n; i++) {
    tg_attr a = src->v[i];
    a.start += shift;
    a.end += shift;
    if (!tg_attr_list_add(l, &a)) all = false;
  }
  return all;
}

static gint by_start(gconstpointer pa, gconstpointer pb) {
  const tg_attr *a = pa, *b = pb;
  return a->start < b->start ? -1 : a->start > b->start;
}

const tg_attrs *tg_attr_list_get(tg_attr_list *l) {
  if (l->dirty || l->sorted->len != l->v->len) {
    g_array_set_size(l->sorted, 0);
    g_array_append_vals(l->sorted, l->v->data, l->v->len);
    g_array_sort(l->sorted, by_start); /* stable since GLib 2.32 */
    l->dirty = false;
  }
  l->view.n = l->sorted->len;
  l->view.v = (const tg_attr *)l->sorted->data;
  return &l->view;
}

tg_span tg_text_locate(void *text, size_t offset, size_t len) {
  return tg_text_span((const tg_text *)text, offset, len);
}
