/* ruby/ruby_private.h — what the files of the ruby stage share.
 *
 *   kana.c         Japanese characters: classes, kana → hiragana, aligning a
 *                  reading with the kanji of a word
 *   attrs.c        tg_attr_list, ruby's precedence by order of adding
 *   ruby_markup.c  the one parser of {base|reading} markup
 *   furigana.c     readings from the dictionaries and MeCab
 *   names.c        a name's ruby from its カナ column
 */
#ifndef TG_RUBY_PRIVATE_H
#define TG_RUBY_PRIVATE_H

#include "base/base.h"
#include "tegami/ruby.h"

/* ---- Japanese characters (kana.c) ------------------------------------------ */

/* Append s with half-width katakana made full-width, voiced marks composed
 * (ｶﾞ → が) and katakana made hiragana; everything else unchanged. */
void ruby_kana_to_hiragana(const char *s, size_t len, GString *out);
/* The same kana as full-width katakana (ミホン　イチロウ), spaces made
 * ideographic (tg_kana_to_katakana appends here). */
void ruby_kana_to_katakana(const char *s, size_t len, GString *out);

/* One kanji run of a word and its part of the reading (byte ranges). */
typedef struct {
  uint32_t start, end;   /* in the surface */
  uint32_t rstart, rend; /* in the reading */
} ruby_piece;

/* Align a hiragana `reading` with `surface`: kana in the surface must appear
 * in the reading as written (okurigana), each kanji run takes at least one
 * character of it.  With allow_opaque, other characters (digits, Latin)
 * match any part of the reading and get no ruby; without, they fail the
 * alignment.  Appends one ruby_piece per kanji run; false (nothing
 * appended) if the reading does not fit. */
bool ruby_align_reading(const char *surface, size_t len, const char *reading, size_t rlen,
                        bool allow_opaque, GArray *pieces);

/* ---- explicit ruby markup (ruby_markup.c) -------------------------------------
 *
 * One parser for {base|reading}, {base|r1|r2…} and the \{ \} \| \\ escapes,
 * used by the template compiler (through tg_ruby_group_parse), by
 * tg_ruby_markup_parse() and by the reading dictionary. */

typedef struct {
  uint32_t start, end; /* bytes of the base */
  char *reading;
} ruby_span;

typedef struct {
  GString *base;    /* the base with escapes removed */
  GArray *base_src; /* size_t per byte of base: its offset in the source */
  GArray *ruby;     /* ruby_span over the base: one (group) or one per character (mono) */
} ruby_group;

/* Parse the ruby group whose '{' is s[open] (not "{{").  *end receives the
 * offset after the group (or where parsing stopped after an error).  False
 * after reporting a ruby.* error at locate(user, …); g is then empty. */
bool ruby_parse_group(const char *s, size_t len, size_t open, tg_span_fn locate, void *user,
                      tg_diag *d, ruby_group *g, size_t *end);
void ruby_group_clear(ruby_group *g);

#endif
