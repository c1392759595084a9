/* names.c — ruby for people's names, from the row's カナ column only.
 *
 * A name's reading cannot be guessed (山崎 is やまさき or やまざき, 一郎 may be
 * いちろう or いちお), so names never go to MeCab: their ruby is the カナ
 * column of the same row, converted to hiragana like every other ruby of an
 * easy-Japanese letter.  When the name and its kana split on the same spaces
 * (見本　一郎 / ﾐﾎﾝ ｲﾁﾛｳ), each part gets its own ruby, aligned to its kanji;
 * otherwise one group ruby covers the whole name.  The name text itself is
 * never changed.
 */
#include "ruby/ruby_private.h"

#include <string.h>

typedef struct {
  size_t start, end;
} part;

static bool is_space_at(const char *s, size_t len, size_t i, size_t *n) {
  uint32_t cp;
  *n = (size_t)tg_utf8_decode(s + i, len - i, &cp);
  return tg_char_get_class(cp) == TG_CHAR_SPACE;
}

/* Parts of s between runs of spaces (ASCII, U+3000, tabs). */
static GArray *split_parts(const char *s, size_t len) {
  GArray *parts = g_array_new(FALSE, FALSE, sizeof(part));
  size_t i = 0;
  while (i < len) {
    size_t n;
    while (i < len && is_space_at(s, len, i, &n))
      i += n;
    if (i >= len) break;
    part p = {i, i};
    while (i < len && !is_space_at(s, len, i, &n))
      i += n;
    p.end = i;
    g_array_append_val(parts, p);
  }
  return parts;
}

tg_name_ruby_result tg_name_ruby(const char *name, size_t name_len, const char *kana,
                                 size_t kana_len, uint32_t offset, tg_attr_list *attrs) {
  if (!tg_text_has_kanji(name, name_len)) return TG_NAME_RUBY_NONE;
  GArray *kp = split_parts(kana, kana_len);
  if (kp->len == 0) {
    g_array_free(kp, TRUE);
    return TG_NAME_RUBY_NONE;
  }
  for (guint i = 0; i < kp->len; i++) {
    part *p = &g_array_index(kp, part, i);
    if (!tg_text_is_kana(kana + p->start, p->end - p->start)) {
      g_array_free(kp, TRUE);
      return TG_NAME_RUBY_BAD_KANA;
    }
  }
  GArray *np = split_parts(name, name_len);
  GString **hira = g_new0(GString *, kp->len);
  for (guint i = 0; i < kp->len; i++) {
    part *p = &g_array_index(kp, part, i);
    hira[i] = g_string_new(NULL);
    ruby_kana_to_hiragana(kana + p->start, p->end - p->start, hira[i]);
  }
  tg_name_ruby_result res;
  if (np->len == kp->len) {
    GArray *pieces = g_array_new(FALSE, FALSE, sizeof(ruby_piece));
    for (guint i = 0; i < np->len; i++) {
      part *p = &g_array_index(np, part, i);
      const char *s = name + p->start;
      size_t sl = p->end - p->start;
      if (!tg_text_has_kanji(s, sl)) continue;
      g_array_set_size(pieces, 0);
      if (ruby_align_reading(s, sl, hira[i]->str, hira[i]->len, true, pieces)) {
        for (guint k = 0; k < pieces->len; k++) {
          ruby_piece *mp = &g_array_index(pieces, ruby_piece, k);
          tg_attr_list_add_ruby(attrs, offset + (uint32_t)p->start + mp->start,
                                offset + (uint32_t)p->start + mp->end, hira[i]->str + mp->rstart,
                                mp->rend - mp->rstart);
        }
      } else {
        /* the kana of the part does not match its reading: the registered
         * reading still wins, over the whole part */
        tg_attr_list_add_ruby(attrs, offset + (uint32_t)p->start, offset + (uint32_t)p->end,
                              hira[i]->str, hira[i]->len);
      }
    }
    g_array_free(pieces, TRUE);
    res = TG_NAME_RUBY_PARTS;
  } else {
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < kp->len; i++) {
      if (i) g_string_append(all, "\u3000");
      g_string_append_len(all, hira[i]->str, (gssize)hira[i]->len);
    }
    part *first = &g_array_index(np, part, 0), *last = &g_array_index(np, part, np->len - 1);
    tg_attr_list_add_ruby(attrs, offset + (uint32_t)first->start, offset + (uint32_t)last->end,
                          all->str, all->len);
    g_string_free(all, TRUE);
    res = TG_NAME_RUBY_WHOLE;
  }
  for (guint i = 0; i < kp->len; i++)
    g_string_free(hira[i], TRUE);
  g_free(hira);
  g_array_free(kp, TRUE);
  g_array_free(np, TRUE);
  return res;
}
