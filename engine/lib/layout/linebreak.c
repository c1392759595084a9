/* linebreak.c — where a line may break in Japanese text, and where it may not.
 *
 * A compact rendering of JIS X 4051 kinsoku shori with the parts of UAX #14
 * that matter for mixed Japanese/Latin letters:
 *   - no line starts with a closing bracket, 、。，．・：；！？, small kana
 *     (ぁぃぅぇぉっゃゅょゎ …), the prolonged sound mark ー, 々 or ゝゞヽヾ;
 *   - no line ends with an opening bracket 「『（［｛〈《【〔“‘;
 *   - Latin words and numbers ("eGFR", "130/85", "5.6", "¥1,000", "50%")
 *     are never split, and a number keeps its counter (10月, 3丁目, 4号,
 *     1,000円, 2階); …… and —— pairs stay together;
 *   - spaces (including 分かち書き spaces and U+3000) are break points and
 *     are not carried to the start of the next line;
 *   - combining marks and variation selectors never leave their base.
 * Everything else (between kana and kanji) may break.  The rules are data
 * here so that tests can sweep them over many widths.
 */
#include "layout/layout_private.h"

static bool in(uint32_t cp, const uint32_t *set, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (set[i] == cp) return true;
  return false;
}

/* 行頭禁則: closing brackets and punctuation */
static const uint32_t CLOSE[] = {
    0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x002C, 0x002E, /* 、。，．,. */
    0x300D, 0x300F, 0xFF09, 0xFF3D, 0xFF5D, 0x3009, 0x300B, 0x3011, 0x3015, 0x3019,
    0x3017, 0x201D, 0x2019, 0x0029, 0x005D, 0x007D, 0xFF60, 0x00BB, 0x301F, /* 」』）］｝〉》】〕〙〗”’)]}｠»〟
                                                                             */
    0xFF01, 0xFF1F, 0x0021, 0x003F, 0x203C, 0x2047, 0x2048, 0x2049, /* ！？!?‼⁇⁈⁉ */
    0xFF1A, 0xFF1B, 0x003A, 0x003B, 0x30FB, 0xFF65,                 /* ：；:;・･ */
    0xFF61, 0xFF64, 0xFF63,                                         /* ｡､｣ */
};
/* 行末禁則: opening brackets */
static const uint32_t OPEN[] = {
    0x300C, 0x300E, 0xFF08, 0xFF3B, 0xFF5B, 0x3008, 0x300A, 0x3010, 0x3014, 0x3018,
    0x3016, 0x201C, 0x2018, 0x0028, 0x005B, 0x007B, 0xFF5F, 0x00AB, 0x301D, 0xFF62,
};
/* small kana and marks that must not start a line */
static const uint32_t NONSTART[] = {
    0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083,
    0x3085, 0x3087, 0x308E, 0x3095, 0x3096, /* ぁぃぅぇぉっゃゅょゎゕゖ */
    0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3,
    0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6, /* ァィゥェォッャュョヮヵヶ */
    0x30FC, 0xFF70, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x3005,
    0x303B, 0x301C, 0xFF5E, 0x30A0, 0x2010, 0x2013, /* ー ｰ ゝゞヽヾ 々 〻 〜 ～ ゠ ‐ – */
};
static const uint32_t INSEP[] = {0x2026, 0x2025, 0x2014, 0x2015};
static const uint32_t PREFIX[] = {0x00A5, 0xFFE5, 0x0024, 0xFF04, 0x00A3,
                                  0x20AC, 0x0023, 0xFF03, 0x2116, 0x3012};
static const uint32_t POSTFIX[] = {0x0025, 0xFF05, 0x00B0, 0x2103, 0x2030, 0x2032, 0x2033};

#define IN(set) in(cp, set, G_N_ELEMENTS(set))

bool layout_kinsoku_no_start(uint32_t cp) {
  return IN(CLOSE) || IN(NONSTART) || (cp >= 0x31F0 && cp <= 0x31FF) ||
         (cp >= 0xFF67 && cp <= 0xFF6F);
}

bool layout_kinsoku_no_end(uint32_t cp) { return IN(OPEN); }

/* ASCII classes, for the common case without any search. */
static const uint8_t ASCII_CLASS[128] = {
    ['\t'] = LB_SP, [' '] = LB_SP,  ['!'] = LB_CL,  ['"'] = LB_AL, ['#'] = LB_PR, ['$'] = LB_PR,
    ['%'] = LB_PO,  ['&'] = LB_AL,  ['\''] = LB_AL, ['('] = LB_OP, [')'] = LB_CL, ['*'] = LB_AL,
    ['+'] = LB_AL,  [','] = LB_IS,  ['-'] = LB_BA,  ['.'] = LB_IS, ['/'] = LB_AL, [':'] = LB_CL,
    [';'] = LB_CL,  ['<'] = LB_AL,  ['='] = LB_AL,  ['>'] = LB_AL, ['?'] = LB_CL, ['@'] = LB_AL,
    ['['] = LB_OP,  ['\\'] = LB_AL, [']'] = LB_CL,  ['^'] = LB_AL, ['_'] = LB_AL, ['`'] = LB_AL,
    ['{'] = LB_OP,  ['|'] = LB_AL,  ['}'] = LB_CL,  ['~'] = LB_AL,
};

lb_class layout_lb_class(uint32_t cp) {
  /* fast paths: kanji, ordinary kana and ASCII make up almost all text */
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x20000 && cp <= 0x3FFFF))
    return LB_ID;
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9') return LB_NU;
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return LB_AL;
    return cp < 0x20 ? LB_AL : (lb_class)ASCII_CLASS[cp];
  }
  if ((cp >= 0x3042 && cp <= 0x3094 && cp != 0x3043 && cp != 0x3045 && cp != 0x3047 &&
       cp != 0x3049 && cp != 0x3063 && cp != 0x3083 && cp != 0x3085 && cp != 0x3087 &&
       cp != 0x308E) ||
      (cp >= 0x30A2 && cp <= 0x30F4 && cp != 0x30A3 && cp != 0x30A5 && cp != 0x30A7 &&
       cp != 0x30A9 && cp != 0x30C3 && cp != 0x30E3 && cp != 0x30E5 && cp != 0x30E7 &&
       cp != 0x30EE))
    return LB_ID; /* hiragana and katakana other than the small ones */
  if (cp == 0x3000) return LB_SP;
  if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x200D ||
      cp == 0x3099 || cp == 0x309A || (cp >= 0xE0020 && cp <= 0xE007F))
    return LB_CM;
  if (cp == 0x00A0 || cp == 0x202F || cp == 0x2060 || cp == 0xFEFF) return LB_GL;
  if (cp == '.' || cp == ',') return LB_IS;
  if (IN(CLOSE)) return LB_CL;
  if (IN(OPEN)) return LB_OP;
  if (IN(NONSTART) || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF67 && cp <= 0xFF6F))
    return LB_NS;
  if (IN(INSEP)) return LB_IN;
  if (IN(PREFIX)) return LB_PR;
  if (IN(POSTFIX)) return LB_PO;
  if (cp == '-' || cp == 0x00AD) return LB_BA;
  if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19)) return LB_NU;
  if (cp < 0x3000) {
    if (g_unichar_ismark(cp)) return LB_CM;
    /* Latin, Greek, Cyrillic letters and ASCII symbols: word characters */
    if (g_unichar_isalpha(cp) || cp == '/' || cp == '_' || cp == '@' || cp == '&' || cp == '+' ||
        cp == '=' || cp == '<' || cp == '>' || cp == '\'' || cp == '"' || cp == '*' || cp == '~' ||
        cp == '^' || cp == '|' || cp == '\\' || cp == '`')
      return LB_AL;
  }
  if (g_unichar_ismark(cp)) return LB_CM;
  return LB_ID;
}

/* Counters and units that stay on the line of the number before them. */
static const uint32_t COUNTERS[] = {
    0x53F7, 0x756A, 0x4E01, 0x76EE, 0x5730, 0x968E, 0x5BA4, 0x68DF, 0x5186, 0x5E74,
    0x6708, 0x65E5, 0x6642, 0x5206, 0x79D2, 0x6B73, 0x624D, 0x4EBA, 0x56DE, 0x500B,
    0x4EF6, 0x679A, 0x901A, 0x70B9, 0x5272, 0x5EA6, 0x500D, 0x5104, 0x4E07, 0x5343,
    0x672C, 0x9031, 0x9805, 0x6761, 0x53F0, 0x7B87, 0x6CCA,
    /* 号 番 丁 目 地 階 室 棟 円 年 月 日 時 分 秒 歳 才 人 回 個 件 枚 通 点 割 度 倍 億 万 千
     * 本 週 項 条 台 箇 泊 */
};

bool layout_lb_allowed(lb_class a, uint32_t ca, lb_class b, uint32_t cb) {
  if (b == LB_CM || b == LB_SP || b == LB_GL || a == LB_GL) return false;
  if (a == LB_SP) return true;
  if (b == LB_CL || b == LB_NS || b == LB_IS || b == LB_PO || b == LB_BA) return false;
  if (a == LB_OP || a == LB_PR) return false;
  if (a == LB_IN && b == LB_IN && ca == cb) return false;
  bool a_word = a == LB_AL || a == LB_NU || a == LB_IS;
  bool b_word = b == LB_AL || b == LB_NU;
  if (a_word && b_word) return false;
  if (a_word && b == LB_OP) return false;                                   /* f(x */
  if (a == LB_NU && in(cb, COUNTERS, G_N_ELEMENTS(COUNTERS))) return false; /* 4|号 */
  if (a == LB_CL && b_word && (ca == '.' || ca == ',')) return false;
  return true;
}

bool layout_lb_hangable(uint32_t cp) {
  return cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C || cp == 0xFF0E || cp == ',' || cp == '.';
}
