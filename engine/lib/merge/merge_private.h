/* merge/merge_private.h — what the files of the merge stage share.
 *
 * A filter formats one value: `{{郵便番号 | postal}}` → "252-0028".  Filters
 * are pure functions of their input and arguments; when the input cannot be
 * formatted they return false with a reason that never quotes the value.
 *
 * The Japanese helpers (kana.c) classify characters, turn any kana into
 * hiragana and align a reading with the kanji of a word; furigana.c,
 * names.c, ruby_markup.c and easyja.c build on them.
 */
#ifndef TG_MERGE_PRIVATE_H
#define TG_MERGE_PRIVATE_H

#include "base/base.h"
#include "tegami/merge.h"

typedef bool (*tg_filter_fn)(const char *in, size_t len, const char *const *args, int nargs,
                             GString *out, const char **why);

typedef struct tg_filter_def {
  const char *name;
  int min_args, max_args;
  tg_filter_fn fn;
  const char *doc; /* one line for docs and --help */
} tg_filter_def;

const tg_filter_def *tg_filter_find(const char *name);
/* All filters, NULL-terminated by name. */
const tg_filter_def *tg_filter_list(size_t *n);


/* ---- Japanese characters (kana.c) ------------------------------------------ */

typedef enum {
  MERGE_CH_OTHER, /* punctuation, symbols, anything else */
  MERGE_CH_SPACE,
  MERGE_CH_DIGIT, /* 0-9 and full-width ０-９ */
  MERGE_CH_LATIN, /* Latin letters, half- and full-width */
  MERGE_CH_HIRAGANA,
  MERGE_CH_KATAKANA, /* incl. ー and half-width katakana */
  MERGE_CH_KANJI,    /* ideographs, 々 〆 〇 〻 ヶ ヵ */
} merge_ch;

merge_ch merge_char_class(uint32_t cp);
/* Variation selectors and combining marks belong to the character before. */
bool merge_is_mark(uint32_t cp);
bool merge_has_kanji(const char *s, size_t len);
/* Append s with half-width katakana made full-width, voiced marks composed
 * (ｶﾞ → が) and katakana made hiragana; everything else unchanged. */
void merge_kana_to_hiragana(const char *s, size_t len, GString *out);
/* True if s is non-empty and holds only kana, ー, ・ and voiced marks. */
bool merge_is_kana_text(const char *s, size_t len);

/* One kanji run of a word and its part of the reading (byte ranges). */
typedef struct {
  uint32_t start, end;   /* in the surface */
  uint32_t rstart, rend; /* in the reading */
} merge_ruby_piece;

/* Align a hiragana `reading` with `surface`: kana in the surface must appear
 * in the reading as written (okurigana), each kanji run takes at least one
 * character of it.  With allow_opaque, other characters (digits, Latin)
 * match any part of the reading and get no ruby; without, they fail the
 * alignment.  Appends one merge_ruby_piece per kanji run; false (nothing
 * appended) if the reading does not fit. */
bool merge_align_reading(const char *surface, size_t len, const char *reading, size_t rlen,
                         bool allow_opaque, GArray *pieces);

#endif
