/* tegami/postal.h — Japan Post's data: the postal-code dictionary, the
 * postal code of an address, and the customer barcode.
 *
 * The postal stage sits on base only; targets (checking a list's postal
 * codes against its addresses) and layout (placing customer barcodes) use
 * it.  Three parts:
 *
 *  - tg_postal: Japan Post's KEN_ALL.CSV (the official file, CP932, or the
 *    derived dictionary in locales/ja/postal/), loaded once per run and then
 *    only read (safe to share between threads), with lookups by postal code
 *    and the comparison of an address with a postal code;
 *  - tg_postal_derive: the postal code of an address (KDB lists have 住所
 *    but no 郵便番号) — decided, ambiguous or not found, never guessed;
 *  - tg_custbar: the 4-state customer barcode (カスタマバーコード) built from a
 *    postal code and an address by the manual's rules, and its bars as
 *    rectangles in points (docs/barcode.md).
 */
#ifndef TEGAMI_POSTAL_H
#define TEGAMI_POSTAL_H

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- postal-code dictionary (KEN_ALL format) ----------------------------- */

/* Quirks handled: 町域 split over several lines, notes in parentheses (kept
 * apart in `town_note` and read as conditions: 丁目 and 番地 ranges, その他,
 * 次のビルを除く, floors of 高層ビル), 以下に掲載がない場合 (the code of every
 * address of the city not listed), 〇〇一円 (the whole town or village),
 * 〇〇の次に番地がくる場合 (docs/targets.md). */
typedef struct tg_postal tg_postal;

typedef struct tg_postal_entry {
  char code[8];           /* 7 ASCII digits */
  char jis[6];            /* 全国地方公共団体コード, 5 digits */
  const char *prefecture; /* 神奈川県 */
  const char *city;       /* 横浜市西区, 足柄下郡箱根町 */
  const char *town;       /* みなとみらい; "" for default/whole-city rows */
  const char *town_note;  /* the parenthesised note (次のビルを除く), or "" */
  const char *prefecture_kana, *city_kana, *town_kana; /* as in the file */
  bool is_default;      /* 以下に掲載がない場合: any other address of the city */
  bool is_whole_city;   /* 〇〇一円, or 〇〇の次に番地がくる場合 */
  bool multi_code_town; /* flag 10: the town has more than one code */
  bool koaza_banchi;    /* flag 11: 番地 are numbered per 小字 */
  bool has_chome;       /* flag 12: the town has 丁目 */
  bool multi_town_code; /* flag 13: the code covers more than one town */
  const char *building; /* 高層ビル rows: the building (霞が関ビル), else "" */
  int floor;            /* 高層ビル rows: the floor, -1 for 地階・階層不明; else 0 */
  uint64_t row;         /* first row of the entry in the file */
  char kubun[6];        /* 郵便区番号: column 2, the old 3- or 5-digit code ("" when empty) */
} tg_postal_entry;

/* Load a KEN_ALL-format file (encoding AUTO: detected).  NULL with
 * diagnostics when it cannot be read or holds no valid row. */
tg_postal *tg_postal_load(const char *path, tg_encoding encoding, tg_diag *d);
void tg_postal_free(tg_postal *p);
/* <data_dir>/locales/ja/postal/KEN_ALL-kanagawa.csv (newly allocated). */
char *tg_postal_default_path(const char *data_dir);
const char *tg_postal_get_path(const tg_postal *p);
size_t tg_postal_get_entry_count(const tg_postal *p);
/* Entry i (0 … count-1) in file order (a record split over lines is one). */
const tg_postal_entry *tg_postal_get_entry(const tg_postal *p, size_t i);
size_t tg_postal_get_code_count(const tg_postal *p);
/* The entries of a 7-digit code (ASCII digits, as normalised above), in file
 * order; NULL and *n = 0 when the code does not exist.  Borrowed. */
const tg_postal_entry *const *tg_postal_lookup(const tg_postal *p, const char *code7, size_t *n);
/* The 郵便区番号 of a 7-digit code (区分郵便物 sort on it) into out: column 2
 * of its first entry; true.  Without one (not in the file, or column 2 empty
 * as in the vendored dictionary): the first 3 digits, and false. */
bool tg_postal_kubun(const tg_postal *p, const char *code7, char out[6]);

/* Where an address stands with respect to a postal code. */
typedef enum {
  TG_POSTAL_MATCH,            /* prefecture (if written) and city agree */
  TG_POSTAL_NO_CODE,          /* the code is not in the dictionary */
  TG_POSTAL_OTHER_PREFECTURE, /* the address names another prefecture */
  TG_POSTAL_OTHER_CITY,       /* the address is not in the code's city */
} tg_postal_match;

typedef struct tg_postal_split {
  const tg_postal_entry
      *entry; /* best entry: the longest matching 町域, else the default/whole-city one */
  size_t
      town_end; /* byte offset in the address after prefecture, city and 町域: 住所B starts here */
  size_t city_end;   /* byte offset after the city */
  bool town_matched; /* a 町域 of the code was found in the address */
} tg_postal_split;

/* Compare an address with a postal code's entries (ignoring spaces, the
 * width of digits and ケ/ヶ; the prefecture may be omitted, and so may a
 * 郡).  On TG_POSTAL_MATCH, `split` (optional) tells where the 町域 ends:
 * what the Japan Post barcode needs to extract 住所B. */
tg_postal_match tg_postal_match_address(const tg_postal *p, const char *code7, const char *address,
                                        size_t len, tg_postal_split *split);

/* ---- the postal code of an address ----------------------------------------------
 *
 * Prefecture, city (or ward, with or without its 郡) and 町域 are looked up
 * through prefix indexes; the rest of the address (丁目, 番地, 1-2-3, a
 * building and floor) is read against the conditions of the town's rows.
 * Widths, kanji numerals (一丁目, 1丁目, １丁目), ヶ/ケ/が, ノ/の, 大字/字 do not
 * matter.  A KDB list is per municipality: the hint stands in for what an
 * address leaves out (prefecture, city); what the address writes wins. */

typedef struct tg_postal_hint {
  const char *prefecture; /* 神奈川県, or NULL */
  const char *city;       /* 横浜市 (all its wards), 横浜市西区, 箱根町 …, or NULL */
} tg_postal_hint;

typedef enum {
  TG_POSTAL_DECIDED,   /* exactly one code fits */
  TG_POSTAL_AMBIGUOUS, /* several codes fit (ncandidates): the list must say */
  TG_POSTAL_NOT_FOUND, /* no code fits (miss says how far the address was read) */
} tg_postal_outcome;

typedef enum {
  TG_POSTAL_MISS_NONE,
  TG_POSTAL_MISS_CITY,   /* no city of the dictionary (and no hint) */
  TG_POSTAL_MISS_TOWN,   /* the city is known, none of its towns is in the address */
  TG_POSTAL_MISS_NUMBER, /* the town is known, no row covers its 丁目/番地 */
} tg_postal_miss;

#define TG_POSTAL_MAX_CANDIDATES 8

typedef struct tg_postal_result {
  tg_postal_outcome outcome;
  char code[8];       /* DECIDED: 7 digits */
  size_t ncandidates; /* codes that fit: 1 when decided, 0 when not found */
  char candidates[TG_POSTAL_MAX_CANDIDATES][8]; /* the first of them, in code order */
  tg_postal_miss miss;
  bool by_default; /* DECIDED through 以下に掲載がない場合: the address names no town */
  char default_code[8]; /* MISS_TOWN: the city's 以下に掲載がない場合 code, if it has one —
                           what applies if the town is really not listed ("" else) */
  size_t town_end;      /* DECIDED: byte offset after the 町域 (住所B starts there) */
} tg_postal_result;

/* Derive the postal code of `address` (len bytes, UTF-8; longer than
 * TG_POSTAL_MAX_ADDRESS: not found).  `hint` may be NULL.  Pure: safe to
 * call from several threads.  Returns out->outcome. */
#define TG_POSTAL_MAX_ADDRESS 1024
tg_postal_outcome tg_postal_derive(const tg_postal *p, const char *address, size_t len,
                                   const tg_postal_hint *hint, tg_postal_result *out);
/* The cities (wards) of the dictionary a hint names; 0 when it names none
 * (an unknown prefecture or city: a mistake in the job). */
size_t tg_postal_hint_count(const tg_postal *p, const tg_postal_hint *hint);

/* ---- Japan Post customer barcode (カスタマバーコード) ----------------------------
 *
 * custbar.c: the 4-state barcode of Japan Post's 郵便番号・バーコードマニュアル
 * (p12–p25), built from a postal code and the address by the published rules,
 * and its geometry in points for a chosen size a = 8–11.5 pt.  It needs
 * nothing but the strings: the postal dictionary (KEN_ALL) that supplies the
 * town names (町域) of a postal code lives elsewhere; callers pass them in.
 *
 * The symbol: START, 7 postal digits + 13 address positions (letters take two:
 * CC1–CC3 + digit; CC4 pads), a mod-19 check digit, STOP — 23 symbol
 * characters, always 67 bars.  Our own encoder, not zint: zint cannot keep
 * the lone CC at position 20 that p20 asks for (docs/barcode.md). */

#define TG_CUSTBAR_DATA_LEN     20 /* postal code 7 + address number 13 */
#define TG_CUSTBAR_SYMBOLS      23 /* START, 20 data, check digit, STOP */
#define TG_CUSTBAR_BARS         67 /* 2 + 21 x 3 + 2 */
#define TG_CUSTBAR_MAX_WARNINGS 8

/* Symbol character values; 0–18 are also the check-digit values of p21. */
enum {
  TG_CUSTBAR_HYPHEN = 10, /* "-" */
  TG_CUSTBAR_CC1 = 11,    /* CC1–CC3 start a letter, CC4 pads, CC5–CC8 only as check digit */
  TG_CUSTBAR_CC4 = 14,
  TG_CUSTBAR_CC8 = 18,
  TG_CUSTBAR_START = 19,
  TG_CUSTBAR_STOP = 20,
};

typedef enum {
  TG_CUSTBAR_OK,         /* a barcode */
  TG_CUSTBAR_BAD_POSTAL, /* not a 7-digit postal code: no barcode */
  TG_CUSTBAR_REPRESENTATIVE, /* 代表番号 (***-0000, 以下に掲載がない場合): no barcode [p18] */
  TG_CUSTBAR_TOWN_NOT_FOUND, /* no town name of the postal code in the address: no barcode */
  TG_CUSTBAR_BAD_DATA,       /* tg_custbar_encode_data: not [0-9A-Z-] */
} tg_custbar_status;

/* A kanji numeral that the rules left unconverted (not directly before
 * 丁目/丁/番地/番/号/地割/線/の/ノ, e.g. the 二 of 三の二): the barcode follows
 * the literal rule, an operator should look at it.  Characters (not bytes) of
 * the string given to tg_custbar_encode/_encode_b, 0-based. */
typedef struct tg_custbar_warning {
  uint32_t start, len;
} tg_custbar_warning;

/* The result of one encoding: a plain value, no allocation, nothing to free. */
typedef struct tg_custbar {
  tg_custbar_status status;
  char postal[8];     /* the 7 digits */
  size_t b_offset;    /* byte offset of 住所B in the address (0 for tg_custbar_encode_b) */
  char extracted[64]; /* address-number data as the manual writes it, before the 20-position
                         cut: "3-20-5B604" (clipped to 63 bytes; only 13 positions count) */
  char data[32];      /* the 20 data positions as the manual writes them: "27301023-20-5B604";
                         a letter cut after its control code ends in "+CC1" */
  bool truncated;     /* postal code + address data were longer than 20 positions */
  uint8_t symbols[TG_CUSTBAR_SYMBOLS]; /* START, 20 data (CC4-padded), check digit, STOP */
  uint8_t check_digit;                 /* 0–18: 0–9, "-", CC1–CC8 */
  char bars[TG_CUSTBAR_BARS + 1];      /* 'F' long, 'A' ascender, 'D' descender, 'T' tracker */
  uint32_t nwarnings;                  /* unconverted kanji numerals (may exceed the stored) */
  tg_custbar_warning warnings[TG_CUSTBAR_MAX_WARNINGS];
} tg_custbar;

/* Encode a postal code ("2630023", "263-0023", full-width or with 〒) and a
 * full address, split into 住所A | 住所B after the town name (町域) of the
 * postal code.  `towns` are the 町域 strings the postal dictionary gives for
 * this code, as in KEN_ALL (notes in parentheses, "…一円" and "…の次に番地が
 * くる場合" are understood; "以下に掲載がない場合" marks the 代表番号).  The
 * town is matched across ケ/ヶ/が, の/ノ/之, full/half width and kanji/arabic
 * numerals; "〇丁目" stays in 住所B.  Returns bc->status. */
tg_custbar_status tg_custbar_encode(tg_custbar *bc, const char *postal, const char *address,
                                    const char *const *towns, size_t ntowns);
/* Encode from 住所B directly (the part after the town name: 丁目, 番地, 号,
 * building, room).  "" gives 13 x CC4 (大口事業所 individual numbers).
 * `towns` (may be NULL) only serves to recognise a 代表番号. */
tg_custbar_status tg_custbar_encode_b(tg_custbar *bc, const char *postal, const char *address_b,
                                      const char *const *towns, size_t ntowns);
/* Encode address-number data that is already extracted, as the manual writes
 * it ("3-20-5B604", letters as letters): an operator's override, or a 私書箱
 * number.  Characters other than 0-9, A-Z (a-z) and "-" give
 * TG_CUSTBAR_BAD_DATA.  No extraction rule is applied, so letter pairs stay. */
tg_custbar_status tg_custbar_encode_data(tg_custbar *bc, const char *postal, const char *data);
/* Where 住所B starts in `address` (byte offset), or false if no town of
 * `towns` is found in it. */
bool tg_custbar_find_b(const char *address, const char *const *towns, size_t ntowns,
                       size_t *b_offset);
/* Is this postal code a 代表番号 (ends in 0000, or its town is 以下に掲載がない場合)? */
bool tg_custbar_is_representative(const char *postal7, const char *const *towns, size_t ntowns);

/* Report what a result means for the letter to `d`, at a data location
 * (file/row/column may be NULL/0): barcode.representative (note),
 * barcode.postal, barcode.data, barcode.town-not-found, barcode.kanji-numeral
 * (warnings: the letter goes out without a barcode, or with one to review).
 * Messages name positions, never the address. */
void tg_custbar_report(const tg_custbar *bc, tg_diag *d, const char *file, uint64_t row,
                       const char *column);
/* "0"…"9", "-", "CC1"…"CC8", "START", "STOP". */
const char *tg_custbar_symbol_name(unsigned sym);
/* Why there is no barcode, in a few words ("" for TG_CUSTBAR_OK). */
const char *tg_custbar_status_reason(tg_custbar_status status);

/* Geometry at size a (8–11.5 pt) [p12].  We draw bars 0.65a/10 mm wide (the
 * middle of what the width and space tolerances allow together), pitch and
 * tracker nominal, long bars 3.50a/10 mm (never the nominal maximum of 3.60),
 * ascenders/descenders reaching from the tracker to the long bar's ends.
 * With dpi > 0 every dimension is a whole number of device pixels, chosen
 * within tolerance, so a RIP does not round bars unevenly. */
typedef struct tg_custbar_rect {
  double x_pt, y_pt, w_pt, h_pt; /* from the top-left of the bars' box, y downwards */
} tg_custbar_rect;

typedef struct tg_custbar_geom {
  double size_pt;                     /* a */
  double pitch_pt, bar_pt;            /* bar to bar, bar width */
  double long_pt, semi_pt, timing_pt; /* heights: long, ascender/descender, tracker */
  double width_pt, height_pt;         /* the bars' box: 66 pitches + a bar; long bar */
  double quiet_pt;                    /* blank needed on every side: 2 mm [p13] */
  tg_custbar_rect bars[TG_CUSTBAR_BARS];
} tg_custbar_geom;

/* Lay out the bars of `bc` (status OK) at size_pt; dpi 0 = exact, else
 * TG_CUSTBAR_MIN_DPI–TG_CUSTBAR_MAX_DPI.  Reports barcode.size (size outside
 * 8–11.5 pt) or barcode.dpi (a resolution out of range, or no whole-pixel
 * geometry within tolerance) to d and returns false. */
#define TG_CUSTBAR_MIN_DPI 72
#define TG_CUSTBAR_MAX_DPI 9600
bool tg_custbar_geometry(const tg_custbar *bc, double size_pt, double dpi, tg_custbar_geom *g,
                         tg_diag *d);

/* ---- Japan Post mail classes (mailing.c; rules in docs/vendor-handoff.md) -------- */

typedef enum { TG_MAIL_TEIKEI_25, TG_MAIL_TEIKEI_50, TG_MAIL_TEIKEIGAI } tg_mail_class;
typedef struct tg_mail_piece {
  double width_mm, length_mm; /* the envelope, short and long side */
  double thickness_mm, weight_g;
} tg_mail_piece;
/* 定形 (90–120 × 140–235 mm, ≤ 10 mm thick, ≤ 50 g): up to 25 g or 50 g;
 * anything else is 定形外.  Sides are swapped if given the other way. */
tg_mail_class tg_mail_classify(const tg_mail_piece *p);
/* "定形25g", "定形50g", "定形外". */
const char *tg_mail_class_name(tg_mail_class c);
/* The barcode discount's piece rule: 定形 and at most 6 mm thick. */
bool tg_mail_barcode_machinable(const tg_mail_piece *p);
#define TG_MAIL_BARCODE_MIN_PIECES 1000 /* of one shape and weight in one posting */
#define TG_MAIL_KUBUN_MIN_PIECES   2000 /* 区分郵便物, sorted by 郵便区番号 */

#ifdef __cplusplus
}
#endif
#endif
