/* kana.c — Japanese characters for the ruby stage: classes, kana → hiragana,
 * and aligning a word's reading with its kanji.
 *
 * Ruby goes over kanji only.  A reading from MeCab, the project dictionary
 * or a カナ column covers a whole word (受け取る うけとる); the alignment here
 * finds which part of it belongs to each kanji run (う over 受, と over 取) by
 * matching the word's kana (okurigana) in the reading.  Half-width katakana
 * from CP932 カナ fields are converted here too, locally and by table, so
 * that nothing depends on the locale or on Unicode normalisation of names.
 */
#include "ruby/ruby_private.h"

#include <string.h>

/* ---- classes ------------------------------------------------------------------ */

bool tg_char_is_mark(uint32_t cp) {
  if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) return true;
  if (cp == 0x3099 || cp == 0x309A || cp == 0x200D) return true;
  GUnicodeType t = g_unichar_type(cp);
  return t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK;
}

tg_char_class tg_char_get_class(uint32_t cp) {
  if (cp == 0x3005 || cp == 0x3006 || cp == 0x3007 || cp == 0x303B || cp == 0x30F5 || cp == 0x30F6)
    return TG_CHAR_KANJI; /* 々 〆 〇 〻 ヵ ヶ: read as part of the kanji around them */
  if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF))
    return TG_CHAR_KANJI;
  if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309B && cp <= 0x309F)) return TG_CHAR_HIRAGANA;
  if ((cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x30FC && cp <= 0x30FF) ||
      (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9F))
    return TG_CHAR_KATAKANA;
  if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19)) return TG_CHAR_DIGIT;
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xFF21 && cp <= 0xFF3A) ||
      (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xC0 && cp < 0x250 && g_unichar_isalpha(cp)))
    return TG_CHAR_LATIN;
  if (g_unichar_isspace(cp) || cp == 0x3000) return TG_CHAR_SPACE;
  return TG_CHAR_OTHER;
}

bool tg_text_has_kanji(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint32_t cp;
    i += (size_t)tg_utf8_decode(s + i, len - i, &cp);
    if (tg_char_get_class(cp) == TG_CHAR_KANJI) return true;
  }
  return false;
}

/* ---- kana conversion --------------------------------------------------------------- */

/* Half-width katakana U+FF66..U+FF9D → full-width katakana. */
static const uint16_t HALF_KATA[] = {
    0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, /* ｦｧｨｩｪｫｬｭｮｯ */
    0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, /* ｰｱｲｳｴｵｶｷｸｹ */
    0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, /* ｺｻｼｽｾｿﾀﾁﾂﾃ */
    0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, /* ﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍ */
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, /* ﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗ */
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, /* ﾘﾙﾚﾛﾜﾝ */
};

/* Full-width katakana (or hiragana) with a voiced (dakuten) or semi-voiced
 * (handakuten) mark composed, or 0 when there is no such character. */
static uint32_t compose_voiced(uint32_t base, bool semi) {
  bool hira = base >= 0x3041 && base <= 0x3096;
  uint32_t k = hira ? base + 0x60 : base;
  uint32_t r = 0;
  if (!semi) {
    if ((k >= 0x30AB && k <= 0x30C2 && (k - 0x30AB) % 2 == 0) || /* カ..チ */
        k == 0x30C4 || k == 0x30C6 || k == 0x30C8 ||             /* ツ テ ト */
        (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0))   /* ハ ヒ フ ヘ ホ */
      r = k + 1;
    else if (k == 0x30A6)
      r = 0x30F4; /* ヴ */
    else if (k == 0x30EF)
      r = 0x30F7; /* ヷ */
    else if (k == 0x30F2)
      r = 0x30FA; /* ヺ */
    else if (k == 0x30FD)
      r = 0x30FE; /* ヾ */
  } else if (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0) {
    r = k + 2;
  }
  if (r && hira) return r <= 0x30F6 ? r - 0x60 : 0;
  return r;
}

void ruby_kana_to_hiragana(const char *s, size_t len, GString *out) {
  size_t i = 0;
  uint32_t pending = 0; /* a kana that a following voiced mark may join */
  while (i < len) {
    uint32_t cp;
    i += (size_t)tg_utf8_decode(s + i, len - i, &cp);
    if (cp >= 0xFF66 && cp <= 0xFF9D)
      cp = HALF_KATA[cp - 0xFF66];
    else if (cp == 0xFF61)
      cp = 0x3002; /* ｡ */
    else if (cp == 0xFF62)
      cp = 0x300C; /* ｢ */
    else if (cp == 0xFF63)
      cp = 0x300D; /* ｣ */
    else if (cp == 0xFF64)
      cp = 0x3001; /* ､ */
    else if (cp == 0xFF65)
      cp = 0x30FB; /* ･ */
    bool voiced = cp == 0xFF9E || cp == 0x3099 || cp == 0x309B;
    bool semi = cp == 0xFF9F || cp == 0x309A || cp == 0x309C;
    if ((voiced || semi) && pending) {
      uint32_t c = compose_voiced(pending, semi);
      if (c) {
        pending = c;
        continue;
      }
    }
    if (pending) {
      uint32_t h = pending;
      if ((h >= 0x30A1 && h <= 0x30F6) || h == 0x30FD || h == 0x30FE) h -= 0x60;
      tg_utf8_append(out, h);
      pending = 0;
    }
    if (voiced)
      cp = 0x309B; /* a mark that joins nothing: the spacing form */
    else if (semi)
      cp = 0x309C;
    if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x309D ||
        cp == 0x30FD) {
      pending = cp;
      continue;
    }
    tg_utf8_append(out, cp);
  }
  if (pending) {
    uint32_t h = pending;
    if ((h >= 0x30A1 && h <= 0x30F6) || h == 0x30FD || h == 0x30FE) h -= 0x60;
    tg_utf8_append(out, h);
  }
}

bool tg_text_is_kana(const char *s, size_t len) {
  if (len == 0) return false;
  size_t i = 0;
  while (i < len) {
    uint32_t cp;
    i += (size_t)tg_utf8_decode(s + i, len - i, &cp);
    tg_char_class c = tg_char_get_class(cp);
    bool ok = c == TG_CHAR_HIRAGANA || (c == TG_CHAR_KATAKANA && cp != 0x30FF) || cp == 0x3099 ||
              cp == 0x309A || cp == 0xFF65 || cp == 0x30FB;
    if (!ok) return false;
  }
  return true;
}

/* ---- alignment -------------------------------------------------------------------- */

typedef enum { SEG_KANJI, SEG_KANA, SEG_OPAQUE } seg_kind;

typedef struct {
  seg_kind kind;
  uint32_t start, end; /* bytes in the surface */
  uint32_t *kana;      /* SEG_KANA: the kana as hiragana code points */
  size_t nkana;
} seg;

typedef struct {
  const seg *segs;
  size_t nsegs;
  const uint32_t *r; /* reading code points */
  size_t nr;
  size_t *take;    /* per segment: reading characters it took */
  size_t *minrest; /* per segment: fewest reading characters segments i.. need */
  unsigned long budget;
} matcher;

static bool match(matcher *M, size_t si, size_t rp) {
  if (M->budget == 0) return false;
  M->budget--;
  if (si == M->nsegs) return rp == M->nr;
  if (M->nr - rp < M->minrest[si]) return false;
  const seg *s = &M->segs[si];
  if (s->kind == SEG_KANA) {
    if (M->nr - rp < s->nkana) return false;
    for (size_t k = 0; k < s->nkana; k++)
      if (M->r[rp + k] != s->kana[k]) return false;
    M->take[si] = s->nkana;
    return match(M, si + 1, rp + s->nkana);
  }
  size_t first = s->kind == SEG_KANJI ? 1 : 0;
  size_t rest = si + 1 < M->nsegs ? M->minrest[si + 1] : 0;
  for (size_t k = first; rp + k + rest <= M->nr; k++) {
    M->take[si] = k;
    if (match(M, si + 1, rp + k)) return true;
  }
  return false;
}

/* Cut the surface into kanji runs, kana runs and the rest. */
static GArray *segment(const char *s, size_t len) {
  GArray *segs = g_array_new(FALSE, TRUE, sizeof(seg));
  size_t i = 0;
  GString *h = g_string_new(NULL);
  while (i < len) {
    uint32_t cp;
    size_t at = i;
    i += (size_t)tg_utf8_decode(s + i, len - i, &cp);
    tg_char_class c = tg_char_get_class(cp);
    seg_kind k = c == TG_CHAR_KANJI                                 ? SEG_KANJI
                 : (c == TG_CHAR_HIRAGANA || c == TG_CHAR_KATAKANA) ? SEG_KANA
                                                                    : SEG_OPAQUE;
    seg *last = segs->len ? &g_array_index(segs, seg, segs->len - 1) : NULL;
    if (last && (tg_char_is_mark(cp) || last->kind == k)) {
      last->end = (uint32_t)i;
      continue;
    }
    seg n = {.kind = k, .start = (uint32_t)at, .end = (uint32_t)i};
    g_array_append_val(segs, n);
  }
  for (guint k = 0; k < segs->len; k++) {
    seg *sg = &g_array_index(segs, seg, k);
    if (sg->kind != SEG_KANA) continue;
    g_string_truncate(h, 0);
    ruby_kana_to_hiragana(s + sg->start, sg->end - sg->start, h);
    sg->kana = g_new(uint32_t, h->len + 1);
    size_t j = 0;
    while (j < h->len) {
      uint32_t cp;
      j += (size_t)tg_utf8_decode(h->str + j, h->len - j, &cp);
      sg->kana[sg->nkana++] = cp;
    }
  }
  g_string_free(h, TRUE);
  return segs;
}

void ruby_kana_to_katakana(const char *s, size_t len, GString *out) {
  GString *h = g_string_new(NULL);
  ruby_kana_to_hiragana(s, len, h);
  for (size_t i = 0; i < h->len;) {
    uint32_t cp;
    i += (size_t)tg_utf8_decode(h->str + i, h->len - i, &cp);
    if ((cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E) cp += 0x60;
    if (cp == ' ') cp = 0x3000;
    tg_utf8_append(out, cp);
  }
  g_string_free(h, TRUE);
}

char *tg_kana_to_katakana(const char *s, size_t len) {
  GString *out = g_string_new(NULL);
  ruby_kana_to_katakana(s, len, out);
  return g_string_free(out, FALSE);
}

bool ruby_align_reading(const char *surface, size_t len, const char *reading, size_t rlen,
                        bool allow_opaque, GArray *pieces) {
  GArray *segs = segment(surface, len);
  bool ok = segs->len > 0 && rlen > 0;
  for (guint k = 0; k < segs->len && ok; k++)
    if (g_array_index(segs, seg, k).kind == SEG_OPAQUE && !allow_opaque) ok = false;
  /* the reading as code points, with the byte offset of each */
  uint32_t *r = g_new(uint32_t, rlen + 1);
  size_t *roff = g_new(size_t, rlen + 2);
  size_t nr = 0, j = 0;
  while (j < rlen) {
    roff[nr] = j;
    j += (size_t)tg_utf8_decode(reading + j, rlen - j, &r[nr]);
    nr++;
  }
  roff[nr] = rlen;
  if (ok) {
    size_t n = segs->len;
    matcher M = {.segs = (const seg *)segs->data,
                 .nsegs = n,
                 .r = r,
                 .nr = nr,
                 .take = g_new0(size_t, n),
                 .minrest = g_new0(size_t, n + 1),
                 .budget = 100000};
    for (size_t k = n; k-- > 0;) {
      const seg *sg = &M.segs[k];
      M.minrest[k] = M.minrest[k + 1] + (sg->kind == SEG_KANA ? sg->nkana : sg->kind == SEG_KANJI);
    }
    ok = match(&M, 0, 0);
    if (ok) {
      size_t rp = 0;
      for (size_t k = 0; k < n; k++) {
        const seg *sg = &M.segs[k];
        if (sg->kind == SEG_KANJI) {
          ruby_piece p = {sg->start, sg->end, (uint32_t)roff[rp], (uint32_t)roff[rp + M.take[k]]};
          g_array_append_val(pieces, p);
        }
        rp += M.take[k];
      }
    }
    g_free(M.take);
    g_free(M.minrest);
  }
  for (guint k = 0; k < segs->len; k++)
    g_free(g_array_index(segs, seg, k).kana);
  g_array_free(segs, TRUE);
  g_free(r);
  g_free(roff);
  return ok;
}
