/* tegami/ruby.h — ruby (furigana) and the Japanese text knowledge behind it.
 *
 * Furigana never changes a text: it only adds TG_ATTR_RUBY attributes over
 * byte ranges of it.  They come from, highest precedence first: explicit
 * ruby (design markup {腎臓|じんぞう}, a name's ruby from its カナ column) >
 * the project reading dictionary (locales/ja/readings.tsv) > counters after
 * digits (locales/ja/counters.tsv) > MeCab.  A range that already carries
 * ruby is never given another.  Rules and formats: docs/furigana.md.
 *
 * A stage of its own, before the merge: the merge compiles ruby into its
 * texts, the layout sets ruby markup in chart labels, and MeCab stays here.
 * Its parts: attributes over text (the spans of rich texts use them too),
 * Japanese characters (classes, kana), the one parser of ruby markup,
 * automatic furigana, and names' ruby.
 */
#ifndef TEGAMI_RUBY_H
#define TEGAMI_RUBY_H

#include "tegami/design.h"
#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- attributes over text ------------------------------------------------- */

/* Attributes over byte ranges [start, end) of a merged text, the way Pango
 * attributes work: rich-text spans from the design's markup (bold, colour,
 * size, underline, font) and ruby (furigana) over a base text.  They are
 * made only from the design's literal text and from filters such as the ruby
 * of a name taken from its カナ column — never by parsing a merged value.
 * Attributes are sorted by start; ranges of one type do not overlap. */
typedef enum {
  TG_ATTR_WEIGHT,    /* u.weight: 400 or 700 */
  TG_ATTR_COLOR,     /* u.color: 0xRRGGBBAA */
  TG_ATTR_SIZE,      /* u.size_pt */
  TG_ATTR_UNDERLINE, /* no value */
  TG_ATTR_FONT,      /* u.font: a family of the font set */
  TG_ATTR_RUBY,      /* u.ruby: UTF-8 reading drawn above [start, end) */
} tg_attr_type;

typedef struct tg_attr {
  uint32_t start, end;
  tg_attr_type type;
  union {
    int weight;
    uint32_t color;
    double size_pt;
    const char *font;
    const char *ruby;
  } u;
} tg_attr;

typedef struct tg_attrs {
  size_t n;
  const tg_attr *v;
} tg_attrs;

/* A growable list of attributes that owns the strings they point to (ruby
 * readings, font names).  Reuse one per letter with tg_attr_list_clear().
 * Not thread-safe: one list per thread. */
typedef struct tg_attr_list tg_attr_list;

tg_attr_list *tg_attr_list_new(void);
void tg_attr_list_free(tg_attr_list *l);
/* Forget every attribute (memory is kept for the next letter). */
void tg_attr_list_clear(tg_attr_list *l);
/* Add ruby `ruby[0, len)` over [start, end).  Refused (false, nothing added)
 * when the range is empty or overlaps ruby already in the list: whoever adds
 * ruby first wins, which is how explicit ruby beats automatic ruby. */
bool tg_attr_list_add_ruby(tg_attr_list *l, uint32_t start, uint32_t end, const char *ruby,
                           size_t len);
/* Add any attribute; a string payload (ruby, font) is copied.  Ruby that
 * would overlap ruby in the list is refused as above. */
bool tg_attr_list_add(tg_attr_list *l, const tg_attr *a);
/* Add every attribute of `src` shifted by `shift` bytes (a piece of text
 * placed at byte `shift` of a longer text).  Returns false if some ruby was
 * refused. */
bool tg_attr_list_append(tg_attr_list *l, const tg_attrs *src, uint32_t shift);
/* True if some ruby of the list overlaps [start, end). */
bool tg_attr_list_has_ruby(const tg_attr_list *l, uint32_t start, uint32_t end);
/* The attributes sorted by start (stable: equal starts keep the order they
 * were added in).  Valid until the list is next changed or freed; the
 * strings stay valid until tg_attr_list_clear() or tg_attr_list_free(). */
const tg_attrs *tg_attr_list_get(tg_attr_list *l);

/* Maps a byte range of the text a function was given to its place in a
 * source file, for diagnostics.  tg_text_locate() does it for a design text
 * given as is (user = the tg_text). */
typedef tg_span (*tg_span_fn)(void *user, size_t offset, size_t len);
tg_span tg_text_locate(void *text, size_t offset, size_t len);

/* ---- Japanese characters ------------------------------------------------------ */

typedef enum {
  TG_CHAR_OTHER, /* punctuation, symbols, anything else */
  TG_CHAR_SPACE,
  TG_CHAR_DIGIT, /* 0-9 and full-width ０-９ */
  TG_CHAR_LATIN, /* Latin letters, half- and full-width */
  TG_CHAR_HIRAGANA,
  TG_CHAR_KATAKANA, /* incl. ー and half-width katakana */
  TG_CHAR_KANJI,    /* ideographs, 々 〆 〇 〻 ヶ ヵ */
} tg_char_class;

tg_char_class tg_char_get_class(uint32_t cp);
/* Variation selectors and combining marks belong to the character before. */
bool tg_char_is_mark(uint32_t cp);
bool tg_text_has_kanji(const char *s, size_t len);
/* True if s is non-empty and holds only kana, ー, ・ and voiced marks. */
bool tg_text_is_kana(const char *s, size_t len);
/* Kana (full- or half-width katakana, hiragana) as full-width katakana,
 * spaces made ideographic (ミホン　イチロウ): how a name is printed when its
 * kanji cannot be.  Newly allocated (free()). */
char *tg_kana_to_katakana(const char *s, size_t len);

/* ---- explicit ruby markup in design literal text ---------------------------
 *
 *   {腎臓|じんぞう}      group ruby: one reading over the whole base
 *   {腎臓|じん|ぞう}     mono ruby: one reading per base character
 *   {腎|じん}{臓|ぞう}   mono ruby written as two groups (same result)
 *   {お薬||くすり}       mono form; an empty reading leaves its character bare
 *   \{  \}  \|  \\       a literal { } | \ (a backslash before anything else
 *                        is an ordinary backslash)
 *   {{ … }}              a template placeholder: copied through untouched
 *
 * Errors (ruby.*) are reported at locate(user, offset, len) of `src`, all of
 * them in one pass; the result is then NULL. */
typedef struct tg_ruby_text tg_ruby_text;

tg_ruby_text *tg_ruby_markup_parse(const char *src, size_t len, tg_span_fn locate, void *user,
                                   tg_diag *d);
/* The plain text (markup removed, everything else byte for byte, spaces
 * included), NUL-terminated; its length in *len_out if not NULL. */
const char *tg_ruby_text_get_text(const tg_ruby_text *r, size_t *len_out);
/* Ruby over the plain text; strings owned by the tg_ruby_text. */
const tg_attrs *tg_ruby_text_get_attrs(const tg_ruby_text *r);
/* Offset in `src` of the byte at `text_offset` of the plain text (the text
 * length maps to the source length), to point diagnostics about the plain
 * text back at the design file. */
size_t tg_ruby_text_get_source_offset(const tg_ruby_text *r, size_t text_offset);
/* The source range of the plain text range [offset, offset + len): a range
 * that starts (ends) with a ruby base starts (ends) with its whole markup,
 * so a caret under a sentence or a word covers "{腎臓|じんぞう}". */
void tg_ruby_text_get_source_range(const tg_ruby_text *r, size_t offset, size_t len,
                                   size_t *src_offset, size_t *src_len);
void tg_ruby_text_free(tg_ruby_text *r);

/* One ruby group of a template, for the merge's parser, which meets them one
 * at a time: the group whose '{' is s[open] (not "{{").  *end receives the
 * offset after it (or where parsing stopped after an error).  NULL after
 * reporting a ruby.* error at locate(user, …). */
typedef struct tg_ruby_group tg_ruby_group;
tg_ruby_group *tg_ruby_group_parse(const char *s, size_t len, size_t open, tg_span_fn locate,
                                   void *user, tg_diag *d, size_t *end);
/* The base, escapes removed, and the offset in s of each of its bytes. */
const char *tg_ruby_group_get_base(const tg_ruby_group *g, size_t *len);
size_t tg_ruby_group_get_source_offset(const tg_ruby_group *g, size_t base_offset);
/* Its ruby over the base: one (group ruby) or one per character (mono). */
const tg_attrs *tg_ruby_group_get_attrs(const tg_ruby_group *g);
void tg_ruby_group_free(tg_ruby_group *g);
/* Is s[i] a backslash that escapes the next character ({ } | \)? */
bool tg_ruby_is_escape(const char *s, size_t len, size_t i);

/* ---- automatic furigana ----------------------------------------------------- */

/* One per run, created before the worker threads start and shared by all of
 * them: after tg_furigana_new() and tg_furigana_add_dictionary*() it is never
 * changed, and tg_furigana_annotate() makes its own MeCab lattice per call
 * (MeCab's model and tagger are thread-safe; a lattice is not). */
typedef struct tg_furigana tg_furigana;

typedef struct tg_furigana_options {
  /* Folder with readings.tsv (required) and counters.tsv (optional), usually
   * <data dir>/locales/ja.  NULL: no project dictionary. */
  const char *locale_dir;
  /* MeCab system dictionary folder; NULL: the build default (Debian's
   * mecab-ipadic-utf8, /var/lib/mecab/dic/ipadic-utf8).  unidic-mecab works too. */
  const char *mecab_dicdir;
} tg_furigana_options;

/* Load MeCab and the project dictionary.  NULL (with diagnostics: every
 * dictionary line at fault, or furigana.mecab) on failure.  opt may be NULL. */
tg_furigana *tg_furigana_new(const tg_furigana_options *opt, tg_diag *d);
/* The automatic-furigana object of a run: MeCab and the reading dictionaries
 * of <data dir>/locales/ja (readings.tsv, counters.tsv).  For whoever merges a
 * design with `ruby: auto` (tg_design_uses_auto_ruby); one per run, shared by
 * every merge and thread.  NULL (reported) when it cannot be loaded. */
tg_furigana *tg_furigana_new_from_data_dir(tg_diag *d);
/* Add a reading dictionary (same format as readings.tsv, e.g. a
 * municipality's place names).  Its entries replace earlier ones with the
 * same surface.  Call before sharing `f` between threads. */
bool tg_furigana_add_dictionary(tg_furigana *f, const char *path, tg_diag *d);
bool tg_furigana_add_dictionary_text(tg_furigana *f, const char *name, const char *text, size_t len,
                                     tg_diag *d);
/* Add ruby over every kanji run of text[0, len) that has none yet.  `text`
 * is a piece of a longer text starting at byte `offset` of it: attributes
 * are added in the longer text's coordinates, and ruby already in `attrs`
 * (explicit ruby) wins over the dictionary and MeCab.  Ruby strings are
 * copied into `attrs`.  Kanji whose reading is unknown are left bare (the
 * easy-Japanese check reports them).  False only if MeCab fails
 * (furigana.mecab in d). */
bool tg_furigana_annotate(const tg_furigana *f, const char *text, size_t len, uint32_t offset,
                          tg_attr_list *attrs, tg_diag *d);
/* Only the counter readings of counters.tsv over text[0, len): a kanji right
 * after Arabic digits (10月31日 → がつ, にち).  No MeCab, no dictionary word:
 * cheap and deterministic, so the merge uses it per letter on the values a
 * `ruby: auto` text prints (dates, ages, amounts made by filters), whose
 * other words stay bare.  Thread-safe.  True if some ruby was added. */
bool tg_furigana_annotate_numbers(const tg_furigana *f, const char *text, size_t len,
                                  uint32_t offset, tg_attr_list *attrs);
void tg_furigana_free(tg_furigana *f);

/* ---- people's names: ruby from the row's カナ column, never guessed --------- */

typedef enum {
  TG_NAME_RUBY_PARTS,    /* name and kana split on the same spaces: ruby per part */
  TG_NAME_RUBY_WHOLE,    /* they did not: one group ruby over the whole name */
  TG_NAME_RUBY_NONE,     /* empty kana, or no kanji in the name: nothing added */
  TG_NAME_RUBY_BAD_KANA, /* the kana holds something that is not kana: nothing added */
} tg_name_ruby_result;

/* Ruby for `name` (at byte `offset` of the merged text) from `kana` (full- or
 * half-width katakana or hiragana, parts separated by spaces or U+3000).
 * Readings are hiragana; within a part, ruby covers only the kanji
 * (ゆり子 + ユリコ → こ over 子).  Strings are copied into `attrs`. */
tg_name_ruby_result tg_name_ruby(const char *name, size_t name_len, const char *kana,
                                 size_t kana_len, uint32_t offset, tg_attr_list *attrs);

#ifdef __cplusplus
}
#endif
#endif
