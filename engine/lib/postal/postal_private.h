/* postal/postal_private.h — shared internals of the postal stage.
 *
 * The stage sits on base only.  postal.c reads KEN_ALL (with a small reader
 * of its own) into records; fold.c folds text for comparison (widths, kana
 * variants, kanji numerals) and reads the numbers and floor of an address;
 * notes.c turns a 町域's notes in parentheses into conditions; derive.c
 * indexes cities and towns and derives the postal code of an address;
 * measure.c turns dictionary rows back into addresses to measure the
 * derivation; custbar.c is the customer barcode.  Nothing here is visible
 * outside the stage (tests and the benchmark reach it on purpose).
 */
#ifndef TG_POSTAL_PRIVATE_H
#define TG_POSTAL_PRIVATE_H

#include "base/base.h"
#include "tegami/postal.h"

/* ---- folded text (fold.c) --------------------------------------------------------- */

/* One character of folded text and the bytes of the source it came from. */
typedef struct {
  uint32_t cp;
  uint32_t start, end; /* byte range in the source */
  bool space;          /* blanks were dropped just before it */
} postal_char;

typedef struct {
  postal_char *c;
  size_t n, cap;
} postal_text;

/* Fold s[0, len) for comparison: blanks dropped (remembered in .space),
 * full-width ASCII to ASCII and lower case to upper, half-width kana to
 * full-width, ヶ ヵ ケ が ガ → ケ, ノ 之 → の, ッ → ツ, 﨑 → 崎, 髙 → 高,
 * （）→ (), ～ 〜 → ~, dashes and minus signs → '-', and runs of kanji
 * numerals (一二三 十百千 〇 壱弐参拾) → ASCII digits (二十一 → 21, 二〇五 →
 * 205).  ー is kept (it is part of katakana words).  t is reset first. */
void postal_fold(postal_text *t, const char *s, size_t len);
/* The same, kanji numerals kept when !numerals: names are compared as
 * written first (十三, 四重麦一, 七五三 are towns, and 十三227番地 must not
 * read as 13227), their numerals folded second (北一条西 = 北1条西). */
void postal_fold_as(postal_text *t, const char *s, size_t len, bool numerals);
bool postal_is_kanji_numeral(uint32_t c);
void postal_text_free(postal_text *t);
/* Append characters [from, to) of t to out as UTF-8. */
void postal_text_append(const postal_text *t, size_t from, size_t to, GString *out);
/* Does the folded text have the (already folded) UTF-8 literal at i?  Returns
 * its length in characters, or 0. */
size_t postal_text_at(const postal_text *t, size_t i, const char *lit);
static inline bool postal_is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* The numbers of an address after its town: 丁目, 番地 (or the 番 of a
 * 丁目 town), the number after it, 地割, and unmarked N-M-K. */
typedef struct {
  int32_t chome, banchi, branch, chiwari; /* -1: not written */
  bool chome_written;                     /* N丁目 (or N丁) */
  bool banchi_written;                    /* N番地 or N番 without a 丁目 */
  bool any_number;
  uint32_t nums[3]; /* N-M-K without a unit (interpreted per town) */
  int nnums;
  size_t end; /* index after the house number */
} postal_numbers;

/* Read the house number from index `from` (a 字 name before it is skipped;
 * a number followed by 階 or F is a floor, not a house number). */
void postal_read_numbers(const postal_text *t, size_t from, postal_numbers *out);
/* The first floor written from index `from` on: N階, NF, 地下N階, BNF, BN階.
 * Returns 0 for none, N for a floor, -1 for a basement. */
int postal_read_floor(const postal_text *t, size_t from);

/* ---- conditions from notes (notes.c) ------------------------------------------------- */

typedef enum { POSTAL_NO = 0, POSTAL_MAYBE = 1, POSTAL_YES = 2 } postal_tri;

typedef enum { POSTAL_UNIT_CHOME, POSTAL_UNIT_BANCHI, POSTAL_UNIT_CHIWARI } postal_unit;

typedef enum {
  POSTAL_ATOM_RANGE,     /* numbers of one unit, lo–hi */
  POSTAL_ATOM_NAME,      /* a 小字 name */
  POSTAL_ATOM_CHOME,     /* （丁目）: the address is written with 丁目 */
  POSTAL_ATOM_BANCHI,    /* （番地）: the address is written without 丁目 */
  POSTAL_ATOM_NO_NUMBER, /* （無番地） */
  POSTAL_ATOM_ALL,       /* （全域） */
  POSTAL_ATOM_UNKNOWN,   /* text we do not understand: never decides */
  POSTAL_ATOM_LIST,      /* 「…」 nested conditions */
} postal_atom_kind;

typedef struct {
  uint32_t main, branch; /* branch 0: none (88-2 is {88, 2}) */
} postal_num;

#define POSTAL_OPEN UINT32_MAX /* hi.main of 〜以上, 〜以降, N〜 */

struct postal_list;
typedef struct {
  postal_atom_kind kind;
  postal_unit unit;         /* RANGE */
  postal_num lo, hi;        /* RANGE, inclusive */
  const char *name;         /* NAME, folded */
  struct postal_list *list; /* LIST */
} postal_atom;

/* An item holds when all its atoms hold (１丁目１～１０番: 丁目 1 and 番 1–10);
 * a list when one of its items does, inverted when it ends in を除く. */
typedef struct {
  postal_atom *atoms;
  size_t n;
} postal_item;

typedef struct postal_list {
  postal_item *items;
  size_t n;
  bool negated;
} postal_list;

typedef enum {
  POSTAL_NOTE_NONE,             /* no note */
  POSTAL_NOTE_LIST,             /* conditions */
  POSTAL_NOTE_OTHER,            /* （その他）: the rest of the town */
  POSTAL_NOTE_EXCEPT_BUILDINGS, /* （次のビルを除く） */
  POSTAL_NOTE_FLOOR,            /* （地階・階層不明）, （N階） */
  POSTAL_NOTE_UNKNOWN,          /* not understood */
} postal_note_kind;

typedef struct {
  postal_note_kind kind;
  postal_list *list; /* LIST */
  int floor;         /* FLOOR: N, or -1 for 地階・階層不明 */
} postal_note;

/* Parse a note (the text inside the 町域's last parentheses, as in the file).
 * Conditions are allocated in `a`. */
void postal_parse_note(const char *note, tg_arena *a, postal_note *out);
/* Parse folded condition text (「…」 contents, the N番地以降 of の次に…がくる
 * 場合, the 地割 of a town name) into a list; NULL when not understood. */
postal_list *postal_parse_conditions(const postal_text *t, size_t from, size_t to, tg_arena *a);

/* What the address says, as the conditions of one town read it. */
typedef struct {
  postal_numbers num;      /* chome/banchi already interpreted for the town */
  const char *listed_name; /* the town's 小字 name found in the address, or NULL */
} postal_facts;

postal_tri postal_eval_list(const postal_list *l, const postal_facts *f);
/* Which units the list's conditions use, for deciding how N-M-K reads in a
 * town: *chome when a condition is about 丁目, *banchi_alone when one is about
 * 番地 outside any 丁目.  Flags are only ever set. */
void postal_list_units(const postal_list *l, bool *chome, bool *banchi_alone);
/* Every NAME of a list, appended (folded, borrowed). */
void postal_list_names(const postal_list *l, GPtrArray *out);

static inline postal_tri postal_and(postal_tri a, postal_tri b) { return a < b ? a : b; }
static inline postal_tri postal_or(postal_tri a, postal_tri b) { return a > b ? a : b; }

/* ---- the dictionary (postal.c) and its index (derive.c) --------------------------------- */

typedef struct postal_group postal_group;
typedef struct postal_city postal_city;

/* A record: the public entry and what the derivation knows about it. */
typedef struct {
  tg_postal_entry pub; /* first: a tg_postal_entry* is a postal_rec* */
  postal_note note;
  postal_list *base; /* conditions in the 町域 itself (種市第１５地割～第２１地割), or NULL */
  const char *key;           /* folded town key; NULL for a city-level record */
  postal_group *group;       /* the town it belongs to; NULL for a city-level record */
  int building;              /* index in group->buildings, or -1 */
  uint32_t key_from, key_to; /* the bytes of pub.town the key comes from */
  uint32_t building_at;      /* 高層ビル rows: where the building starts in pub.town */
  uint32_t index;            /* position in the file */
} postal_rec;

/* A building with codes per floor, inside its town. */
typedef struct {
  const char *key; /* folded name, without the parentheses; "" when the group is the building */
  const char *qualifier;  /* folded text in parentheses inside the name (高層棟), or NULL */
  postal_text name, qual; /* the same, as characters */
} postal_building;

/* A town (町域) of a city: every row with that name, with its notes. */
struct postal_group {
  const postal_city *city;
  const char *key;
  GPtrArray *recs;   /* postal_rec* */
  GPtrArray *names;  /* the 小字 names its notes list (folded, borrowed) */
  GArray *buildings; /* postal_building */
  bool chome_town;   /* flag 12, or a note about 丁目: 1-2-3 is 1丁目2番3号 */
  bool banchi_town;  /* a note about 番地 outside any 丁目: 1-2 is 1番地2 */
  bool koaza_banchi; /* flag 11: a 番地 means nothing without its 小字 */
};

/* A city, ward, town or village of a prefecture. */
struct postal_city {
  int pref;                      /* index in postal_prefectures */
  const char *prefecture, *city; /* as in the file */
  const char *ward;              /* folded ward of a designated city (西区), or NULL */
  GHashTable *towns;   /* folded key, numerals folded or kept → GPtrArray of postal_group* */
  GPtrArray *groups;   /* postal_group*, owned */
  size_t max_town_key; /* characters */
  GPtrArray *city_level; /* postal_rec*: 以下に掲載がない場合, 一円, の次に…, empty 町域 */
  const char *default_code; /* of 以下に掲載がない場合, or NULL */
};

struct tg_postal {
  char *path;
  GStringChunk *strings;
  tg_arena *arena;    /* conditions */
  GArray *recs;       /* postal_rec */
  GPtrArray *by_code; /* postal_rec*, sorted by code then file order */
  size_t ncodes;
  /* the derivation index (derive.c) */
  GPtrArray *cities;     /* postal_city*, owned */
  GHashTable *city_keys; /* folded name (numerals kept) → GPtrArray of postal_city* */
  size_t max_city_key;   /* characters */
  char *pref_keys[47];   /* folded prefecture names */
};

/* How 1-2-3 reads in a town (丁目 or 番地, from its flags and notes), and
 * whether a 番地 means anything without its 小字 (flag 11). */
void postal_interpret(const postal_group *g, postal_facts *f);

/* The length in bytes of the longest town of c other than `except` that s
 * starts with (0: none). */
size_t postal_longest_town(const postal_city *c, const char *s, size_t len,
                           const postal_group *except);

/* Build the derivation index once the records are loaded. */
void postal_index_build(tg_postal *p);
void postal_index_free(tg_postal *p);

/* The 47 prefectures in JIS order. */
extern const char *const postal_prefectures[47];

/* ---- measuring the derivation (measure.c) ---------------------------------------------- */

typedef struct {
  uint64_t rows, decided, ambiguous, not_found, wrong;
  uint64_t skipped;    /* rows no address can be made for (an empty 町域 of the source) */
  uint64_t by_default; /* decided by 以下に掲載がない場合 */
  double seconds;      /* derivation time only */
} postal_measure_counts;

/* Turn record `rec` into a plausible address (prefecture + city + town +
 * a 丁目/番地 within its conditions, a building and floor for 高層ビル
 * rows), written in one of several forms chosen by `variant` (kanji or
 * full-width numerals, 1-2-3, ケ for ヶ, no prefecture, no city …); the hint
 * to use goes to *hint (its strings borrowed from the record).  False when
 * no address can be made. */
bool postal_sample_address(const tg_postal *p, const postal_rec *rec, unsigned variant,
                           GString *out, tg_postal_hint *hint);
/* Derive the code of every record's sample address and count the outcomes;
 * `report` (may be NULL) receives a line per wrong or (verbose) undecided row. */
void postal_measure(const tg_postal *p, postal_measure_counts *c, GString *report, bool verbose);

#endif
