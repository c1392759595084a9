/* preflight.c — checking a finished PDF the way a print vendor would.
 *
 * `tegami preflight FILE.pdf` reads any PDF (ours or another tool's) with
 * libqpdf and walks every page's content, following form XObjects:
 *
 *   - page size: every page has the expected trim size (TrimBox, else
 *     MediaBox), or at least all pages the same;
 *   - fonts: every font that draws text is embedded (FontFile, FontFile2 or
 *     FontFile3), so the RIP never substitutes one;
 *   - missing glyphs: no text operator draws the .notdef glyph (the "tofu"
 *     box).  Writers such as Cairo copy glyph 0 into a subset under another
 *     number, so the check is visual: every glyph used is loaded from the
 *     embedded font program with FreeType and compared with that font's own
 *     .notdef outline (glyph 0); identical outlines are a missing character;
 *   - images: the effective resolution of every placed image, from its pixel
 *     size and the transformation in force where it is painted;
 *   - colour: the colour spaces set (and those of images); rich black —
 *     black or grey in RGB, or CMYK black with cyan, magenta or yellow —
 *     in text or in stroked lines (rules, thin bars), which misregisters on
 *     press; Type 3 fonts; the output intent and PDF/X identification;
 *   - page boxes: TrimBox and BleedBox, nested inside the MediaBox.
 *
 * Problems a vendor would reject are errors (exit 3); the rest are notes.
 * The content tokenizer below is just enough PDF syntax for these operators:
 * numbers, names, strings, arrays, inline images skipped.
 */
#include "qa/qa_private.h"

#include <ctype.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FORM_DEPTH 16

typedef struct {
  double m[6]; /* a b c d e f */
} matrix;

static matrix mat_mul(matrix x, matrix y) { /* x then y */
  matrix r;
  r.m[0] = x.m[0] * y.m[0] + x.m[1] * y.m[2];
  r.m[1] = x.m[0] * y.m[1] + x.m[1] * y.m[3];
  r.m[2] = x.m[2] * y.m[0] + x.m[3] * y.m[2];
  r.m[3] = x.m[2] * y.m[1] + x.m[3] * y.m[3];
  r.m[4] = x.m[4] * y.m[0] + x.m[5] * y.m[2] + y.m[4];
  r.m[5] = x.m[4] * y.m[1] + x.m[5] * y.m[3] + y.m[5];
  return r;
}

static const matrix IDENTITY = {{1, 0, 0, 1, 0, 0}};

/* ---- tokens ------------------------------------------------------------------- */

typedef enum { T_NUM, T_NAME, T_STR, T_ARR_START, T_ARR_END, T_OP, T_OTHER } ttype;

typedef struct {
  ttype type;
  double num;
  GString *text; /* name (without /), string bytes, or operator */
} token;

typedef struct {
  const unsigned char *p, *end;
} lexer;

static bool is_ws(int c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
static bool is_delim(int c) { return c && strchr("()<>[]{}/%", c) != NULL; }

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Next token; false at the end. */
static bool next_token(lexer *L, token *t) {
  g_string_truncate(t->text, 0);
  for (;;) {
    while (L->p < L->end && is_ws(*L->p))
      L->p++;
    if (L->p < L->end && *L->p == '%') {
      while (L->p < L->end && *L->p != '\n' && *L->p != '\r')
        L->p++;
      continue;
    }
    break;
  }
  if (L->p >= L->end) return false;
  int c = *L->p;
  if (c == '/') {
    L->p++;
    while (L->p < L->end && !is_ws(*L->p) && !is_delim(*L->p))
      g_string_append_c(t->text, (char)*L->p++);
    t->type = T_NAME;
  } else if (c == '(') {
    int depth = 1;
    L->p++;
    while (L->p < L->end && depth > 0) {
      int ch = *L->p++;
      if (ch == '\\' && L->p < L->end) {
        int e = *L->p++;
        switch (e) {
        case 'n': g_string_append_c(t->text, '\n'); break;
        case 'r': g_string_append_c(t->text, '\r'); break;
        case 't': g_string_append_c(t->text, '\t'); break;
        case 'b': g_string_append_c(t->text, '\b'); break;
        case 'f': g_string_append_c(t->text, '\f'); break;
        case '\r':
          if (L->p < L->end && *L->p == '\n') L->p++;
          break;
        case '\n': break;
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && L->p < L->end && *L->p >= '0' && *L->p <= '7'; k++)
              v = v * 8 + (*L->p++ - '0');
            g_string_append_c(t->text, (char)v);
          } else {
            g_string_append_c(t->text, (char)e);
          }
        }
        continue;
      }
      if (ch == '(') depth++;
      if (ch == ')' && --depth == 0) break;
      g_string_append_c(t->text, (char)ch);
    }
    t->type = T_STR;
  } else if (c == '<' && L->p + 1 < L->end && L->p[1] == '<') {
    L->p += 2;
    t->type = T_OTHER; /* dictionaries only occur in inline images and BDC: ignored */
  } else if (c == '>' && L->p + 1 < L->end && L->p[1] == '>') {
    L->p += 2;
    t->type = T_OTHER;
  } else if (c == '<') {
    L->p++;
    int hi = -1;
    while (L->p < L->end && *L->p != '>') {
      int v = hexval(*L->p++);
      if (v < 0) continue;
      if (hi < 0)
        hi = v;
      else {
        g_string_append_c(t->text, (char)(hi * 16 + v));
        hi = -1;
      }
    }
    if (hi >= 0) g_string_append_c(t->text, (char)(hi * 16));
    if (L->p < L->end) L->p++;
    t->type = T_STR;
  } else if (c == '[') {
    L->p++;
    t->type = T_ARR_START;
  } else if (c == ']') {
    L->p++;
    t->type = T_ARR_END;
  } else if (c == '{' || c == '}' || c == ')' || c == '>') {
    L->p++;
    t->type = T_OTHER;
  } else {
    const unsigned char *s = L->p;
    while (L->p < L->end && !is_ws(*L->p) && !is_delim(*L->p))
      L->p++;
    g_string_append_len(t->text, (const char *)s, L->p - s);
    char *endp;
    double v = g_ascii_strtod(t->text->str, &endp);
    if (t->text->len && *endp == '\0' &&
        (isdigit(t->text->str[0]) || strchr("+-.", t->text->str[0]))) {
      t->type = T_NUM;
      t->num = v;
    } else {
      t->type = T_OP;
    }
  }
  return true;
}

/* Skip an inline image: after ID, binary data up to whitespace EI whitespace. */
static void skip_inline_image(lexer *L) {
  if (L->p < L->end) L->p++; /* the single whitespace after ID */
  while (L->p + 2 < L->end) {
    if (is_ws(L->p[0]) && L->p[1] == 'E' && L->p[2] == 'I' &&
        (L->p + 3 >= L->end || is_ws(L->p[3]) || is_delim(L->p[3]))) {
      L->p += 3;
      return;
    }
    L->p++;
  }
  L->p = L->end;
}

/* ---- fonts ------------------------------------------------------------------------- */

typedef struct {
  bool embedded;
  bool cid;               /* two-byte codes */
  bool type3;             /* glyphs are drawing procedures: no .notdef to draw */
  unsigned char *cid2gid; /* CIDToGIDMap stream, or NULL (identity) */
  size_t cid2gid_len;
  char *name; /* BaseFont */
  bool reported;
  unsigned char *program; /* the embedded font program (FontFile2/3), or NULL */
  size_t program_len;
  GHashTable *used; /* glyph ids (CID fonts) or codes (simple fonts) drawn */
} font_info;

/* A colour as set by g/rg/k (n = 1, 3, 4) or sc/scn in a device space;
 * n = 0 for anything else (ICC, spot, pattern). */
typedef struct {
  double v[4];
  int n;
} paint;

typedef struct {
  paint fill, stroke;
} paints;

typedef struct {
  qpdf_data q;
  tg_diag *d;
  const char *file;
  GHashTable *fonts; /* object id → font_info* */
  tg_preflight_report *rep;
  double min_ppi;
  unsigned page;
} checker;

static void font_info_free(gpointer p) {
  font_info *f = p;
  free(f->cid2gid);
  free(f->program);
  g_hash_table_destroy(f->used);
  g_free(f->name);
  g_free(f);
}

static bool descriptor_embeds(qpdf_data q, qpdf_oh desc) {
  return qpdf_oh_is_dictionary(q, desc) &&
         (qpdf_oh_has_key(q, desc, "/FontFile") || qpdf_oh_has_key(q, desc, "/FontFile2") ||
          qpdf_oh_has_key(q, desc, "/FontFile3"));
}

/* Keep the embedded TrueType/OpenType/CFF program for the outline check. */
static void load_program(qpdf_data q, qpdf_oh desc, font_info *f) {
  if (!qpdf_oh_is_dictionary(q, desc)) return;
  const char *keys[] = {"/FontFile2", "/FontFile3"};
  for (size_t i = 0; i < 2 && !f->program; i++) {
    qpdf_oh ff = qpdf_oh_get_key(q, desc, keys[i]);
    if (qpdf_oh_is_stream(q, ff))
      qpdf_oh_get_stream_data(q, ff, qpdf_dl_generalized, NULL, &f->program, &f->program_len);
  }
}

static font_info *font_for(checker *C, qpdf_oh font) {
  int id = qpdf_oh_get_object_id(C->q, font);
  font_info *f = id ? g_hash_table_lookup(C->fonts, GINT_TO_POINTER(id)) : NULL;
  if (f) return f;
  f = g_new0(font_info, 1);
  f->used = g_hash_table_new(g_direct_hash, g_direct_equal);
  qpdf_data q = C->q;
  qpdf_oh base = qpdf_oh_get_key(q, font, "/BaseFont");
  f->name = g_strdup(qpdf_oh_is_name(q, base) ? qpdf_oh_get_name(q, base) + 1 : "(unnamed)");
  qpdf_oh sub = qpdf_oh_get_key(q, font, "/Subtype");
  if (qpdf_oh_is_name_and_equals(q, sub, "/Type0")) {
    f->cid = true;
    qpdf_oh desc_arr = qpdf_oh_get_key(q, font, "/DescendantFonts");
    qpdf_oh cidfont = qpdf_oh_get_array_item(q, desc_arr, 0);
    qpdf_oh desc = qpdf_oh_get_key(q, cidfont, "/FontDescriptor");
    f->embedded = descriptor_embeds(q, desc);
    load_program(q, desc, f);
    qpdf_oh map = qpdf_oh_get_key(q, cidfont, "/CIDToGIDMap");
    if (qpdf_oh_is_stream(q, map))
      qpdf_oh_get_stream_data(q, map, qpdf_dl_generalized, NULL, &f->cid2gid, &f->cid2gid_len);
  } else if (qpdf_oh_is_name_and_equals(q, sub, "/Type3")) {
    f->embedded = true; /* glyphs are procedures inside the PDF */
    f->type3 = true;
    C->rep->type3_fonts++;
  } else {
    qpdf_oh desc = qpdf_oh_get_key(q, font, "/FontDescriptor");
    f->embedded = descriptor_embeds(q, desc);
    load_program(q, desc, f);
  }
  C->rep->fonts++;
  if (f->embedded) C->rep->fonts_embedded++;
  if (id) g_hash_table_insert(C->fonts, GINT_TO_POINTER(id), f);
  return f;
}

/* Count .notdef glyphs drawn by a string in font f. */
static void check_string(checker *C, font_info *f, const GString *s) {
  if (!f) return;
  if (!f->embedded && !f->reported) {
    f->reported = true;
    tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.font-not-embedded",
                "%s: page %u draws text with font %s, which is not embedded", C->file, C->page,
                f->name);
  }
  if (f->type3) return; /* every code is a procedure of the font (tegami's barcode bars) */
  size_t step = f->cid ? 2 : 1;
  for (size_t i = 0; i + step <= s->len; i += step) {
    unsigned code = f->cid ? ((unsigned char)s->str[i] << 8) | (unsigned char)s->str[i + 1]
                           : (unsigned char)s->str[i];
    unsigned gid = code;
    if (f->cid && f->cid2gid)
      gid = 2 * (size_t)code + 1 < f->cid2gid_len
                ? (unsigned)(f->cid2gid[2 * code] << 8 | f->cid2gid[2 * code + 1])
                : 0;
    if (gid == 0) {
      if (C->rep->notdef_glyphs++ == 0)
        tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.notdef",
                    "%s: page %u draws the .notdef glyph (a missing character box) in font %s",
                    C->file, C->page, f->name);
    } else if (f->program) {
      /* simple fonts: remember the code; CID fonts: the glyph id */
      unsigned key = f->cid ? gid : code;
      if (!g_hash_table_contains(f->used, GUINT_TO_POINTER(key + 1))) /* first page it is on */
        g_hash_table_insert(f->used, GUINT_TO_POINTER(key + 1), GUINT_TO_POINTER(C->page));
    }
  }
}

/* ---- content walk ---------------------------------------------------------------- */

static void walk(checker *C, const unsigned char *data, size_t len, qpdf_oh resources, matrix ctm,
                 int depth);

/* ---- colour ------------------------------------------------------------------ */

static unsigned array_space_bit(checker *C, qpdf_oh cs, int *ncomp) {
  qpdf_data q = C->q;
  *ncomp = 0;
  if (!qpdf_oh_is_array(q, cs) || qpdf_oh_get_array_n_items(q, cs) < 1) return 0;
  qpdf_oh family = qpdf_oh_get_array_item(q, cs, 0);
  if (!qpdf_oh_is_name(q, family)) return 0;
  const char *f = qpdf_oh_get_name(q, family);
  if (strcmp(f, "/ICCBased") == 0) return TG_CS_ICC;
  if (strcmp(f, "/Separation") == 0 || strcmp(f, "/DeviceN") == 0) return TG_CS_SPOT;
  if (strcmp(f, "/Indexed") == 0) return TG_CS_INDEXED;
  if (strcmp(f, "/Pattern") == 0) return TG_CS_PATTERN;
  if (strcmp(f, "/Lab") == 0 || strcmp(f, "/CalRGB") == 0 || strcmp(f, "/CalGray") == 0)
    return TG_CS_CIE;
  return 0;
}

/* The colour space a cs/CS operand or an image's /ColorSpace name selects;
 * *ncomp is set for the device spaces (1, 3, 4), else 0. */
static unsigned space_bit(checker *C, qpdf_oh resources, const char *name, int *ncomp) {
  if (name[0] == '/') name++;
  *ncomp = 0;
  if (strcmp(name, "DeviceGray") == 0 || strcmp(name, "G") == 0) return *ncomp = 1, TG_CS_GRAY;
  if (strcmp(name, "DeviceRGB") == 0 || strcmp(name, "RGB") == 0) return *ncomp = 3, TG_CS_RGB;
  if (strcmp(name, "DeviceCMYK") == 0 || strcmp(name, "CMYK") == 0) return *ncomp = 4, TG_CS_CMYK;
  if (strcmp(name, "Pattern") == 0) return TG_CS_PATTERN;
  if (!resources) return 0;
  qpdf_oh spaces = qpdf_oh_get_key_if_dict(C->q, resources, "/ColorSpace");
  char key[256];
  g_snprintf(key, sizeof key, "/%s", name);
  qpdf_oh cs = qpdf_oh_get_key_if_dict(C->q, spaces, key);
  if (qpdf_oh_is_name(C->q, cs)) {
    const char *inner = qpdf_oh_get_name(C->q, cs);
    if (strcmp(inner + 1, name) != 0) return space_bit(C, 0, inner, ncomp);
    return 0;
  }
  return array_space_bit(C, cs, ncomp);
}

/* Black (or a grey) that separates into more than the K plate. */
static bool rich_black(const paint *p) {
  if (p->n == 3) return p->v[0] == p->v[1] && p->v[1] == p->v[2] && p->v[0] < 1;
  if (p->n != 4) return false;
  double c = p->v[0], m = p->v[1], y = p->v[2], k = p->v[3];
  return (c > 0 || m > 0 || y > 0) && (k >= 0.8 || (c >= 0.5 && m >= 0.5 && y >= 0.5 && k >= 0.5));
}

static void check_black(checker *C, const paint *p, const char *what) {
  if (!rich_black(p)) return;
  if (C->rep->rich_black++ > 0) return;
  if (p->n == 3)
    tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.rich-black",
                "%s: page %u draws %s in RGB black or grey (%.3g %.3g %.3g rg), which separates "
                "into four inks: black must be K only",
                C->file, C->page, what, p->v[0], p->v[1], p->v[2]);
  else
    tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.rich-black",
                "%s: page %u draws %s in rich black (C%.0f M%.0f Y%.0f K%.0f): black must be K "
                "only",
                C->file, C->page, what, p->v[0] * 100, p->v[1] * 100, p->v[2] * 100, p->v[3] * 100);
}

/* A colour operator with its numeric operands. */
static void color_op(checker *C, const char *op, const GArray *nums, const char *name,
                     qpdf_oh resources, paints *ps, int *fill_n, int *stroke_n) {
  bool stroke = g_ascii_isupper(op[0]);
  paint *p = stroke ? &ps->stroke : &ps->fill;
  int *space_n = stroke ? stroke_n : fill_n;
  char o = g_ascii_tolower(op[0]);
  int want = 0;
  if (strcmp(op, "g") == 0 || strcmp(op, "G") == 0) want = 1, C->rep->color_spaces |= TG_CS_GRAY;
  if (strcmp(op, "rg") == 0 || strcmp(op, "RG") == 0) want = 3, C->rep->color_spaces |= TG_CS_RGB;
  if (strcmp(op, "k") == 0 || strcmp(op, "K") == 0) want = 4, C->rep->color_spaces |= TG_CS_CMYK;
  if (want) {
    *space_n = want;
  } else if (o == 'c' && op[1] == 's' && op[2] == '\0') {
    if (name) C->rep->color_spaces |= space_bit(C, resources, name, space_n);
    p->n = 0;
    return;
  } else if (o == 's' && op[1] == 'c') { /* sc, scn: in the current space */
    want = *space_n;
  }
  if (want == 0 || (int)nums->len < want) {
    p->n = 0;
    return;
  }
  p->n = want;
  for (int i = 0; i < want; i++)
    p->v[i] = g_array_index(nums, double, nums->len - want + i);
}

static void do_xobject(checker *C, qpdf_oh resources, const char *name, matrix ctm, int depth) {
  qpdf_data q = C->q;
  qpdf_oh xobjs = qpdf_oh_get_key_if_dict(q, resources, "/XObject");
  char key[256];
  g_snprintf(key, sizeof key, "/%s", name);
  qpdf_oh x = qpdf_oh_get_key_if_dict(q, xobjs, key);
  if (!qpdf_oh_is_stream(q, x)) return;
  qpdf_oh dict = qpdf_oh_get_dict(q, x);
  qpdf_oh sub = qpdf_oh_get_key(q, dict, "/Subtype");
  if (qpdf_oh_is_name_and_equals(q, sub, "/Image")) {
    double w_px = qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, dict, "/Width"));
    double h_px = qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, dict, "/Height"));
    double w_in = hypot(ctm.m[0], ctm.m[1]) / 72.0, h_in = hypot(ctm.m[2], ctm.m[3]) / 72.0;
    if (w_in <= 0 || h_in <= 0) return;
    double ppi = fmin(w_px / w_in, h_px / h_in);
    C->rep->images++;
    qpdf_oh cs = qpdf_oh_get_key(q, dict, "/ColorSpace");
    int ncomp = 0;
    unsigned bit = qpdf_oh_is_name(q, cs) ? space_bit(C, resources, qpdf_oh_get_name(q, cs), &ncomp)
                                          : array_space_bit(C, cs, &ncomp);
    C->rep->color_spaces |= bit == TG_CS_RGB ? TG_CS_IMAGE_RGB : bit;
    if (C->rep->min_image_ppi == 0 || ppi < C->rep->min_image_ppi) C->rep->min_image_ppi = ppi;
    if (ppi < C->min_ppi)
      tg_diag_add(C->d, TG_WARNING, TG_KIND_DATA, "preflight.image-resolution",
                  "%s: page %u places an image at %.0f ppi (below %.0f ppi)", C->file, C->page, ppi,
                  C->min_ppi);
    return;
  }
  if (!qpdf_oh_is_name_and_equals(q, sub, "/Form") || depth >= MAX_FORM_DEPTH) return;
  matrix fm = IDENTITY;
  qpdf_oh marr = qpdf_oh_get_key(q, dict, "/Matrix");
  if (qpdf_oh_is_array(q, marr) && qpdf_oh_get_array_n_items(q, marr) == 6)
    for (int i = 0; i < 6; i++)
      fm.m[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, marr, i));
  qpdf_oh res = qpdf_oh_get_key(q, dict, "/Resources");
  unsigned char *buf = NULL;
  size_t blen = 0;
  if (qpdf_oh_get_stream_data(q, x, qpdf_dl_generalized, NULL, &buf, &blen) == QPDF_SUCCESS)
    walk(C, buf, blen, qpdf_oh_is_dictionary(q, res) ? res : resources, mat_mul(fm, ctm),
         depth + 1);
  free(buf);
}

static void gstring_free(gpointer p) { g_string_free(p, TRUE); }

static void walk(checker *C, const unsigned char *data, size_t len, qpdf_oh resources, matrix ctm,
                 int depth) {
  qpdf_data q = C->q;
  lexer L = {data, data + len};
  token t = {.text = g_string_new(NULL)};
  GArray *nums = g_array_new(FALSE, FALSE, sizeof(double));
  GPtrArray *strs = g_ptr_array_new_with_free_func(gstring_free);
  GArray *stack = g_array_new(FALSE, FALSE, sizeof(matrix));
  GArray *colors = g_array_new(FALSE, FALSE, sizeof(paints));
  paints ps = {{{0}, 1}, {{0}, 1}}; /* black in DeviceGray, as every content stream starts */
  int fill_n = 1, stroke_n = 1;
  char *last_name = NULL;
  font_info *font = NULL;
  int in_array = 0;
  while (next_token(&L, &t)) {
    switch (t.type) {
    case T_NUM: g_array_append_val(nums, t.num); break;
    case T_NAME:
      g_free(last_name);
      last_name = g_strdup(t.text->str);
      break;
    case T_STR: g_ptr_array_add(strs, g_string_new_len(t.text->str, (gssize)t.text->len)); break;
    case T_ARR_START: in_array++; break;
    case T_ARR_END: in_array--; break;
    case T_OTHER: break;
    case T_OP: {
      const char *op = t.text->str;
      if (strcmp(op, "q") == 0) {
        g_array_append_val(stack, ctm);
        g_array_append_val(colors, ps);
      } else if (strcmp(op, "Q") == 0) {
        if (stack->len) {
          ctm = g_array_index(stack, matrix, stack->len - 1);
          g_array_set_size(stack, stack->len - 1);
          ps = g_array_index(colors, paints, colors->len - 1);
          g_array_set_size(colors, colors->len - 1);
        }
      } else if (strcmp(op, "g") == 0 || strcmp(op, "G") == 0 || strcmp(op, "k") == 0 ||
                 strcmp(op, "K") == 0 || strcmp(op, "rg") == 0 || strcmp(op, "RG") == 0 ||
                 strcmp(op, "cs") == 0 || strcmp(op, "CS") == 0 || strcmp(op, "sc") == 0 ||
                 strcmp(op, "SC") == 0 || strcmp(op, "scn") == 0 || strcmp(op, "SCN") == 0) {
        color_op(C, op, nums, last_name, resources, &ps, &fill_n, &stroke_n);
      } else if (strcmp(op, "S") == 0 || strcmp(op, "s") == 0 || strcmp(op, "B") == 0 ||
                 strcmp(op, "B*") == 0 || strcmp(op, "b") == 0 || strcmp(op, "b*") == 0) {
        check_black(C, &ps.stroke, "a line");
      } else if (strcmp(op, "cm") == 0 && nums->len >= 6) {
        matrix m;
        for (int i = 0; i < 6; i++)
          m.m[i] = g_array_index(nums, double, nums->len - 6 + i);
        ctm = mat_mul(m, ctm);
      } else if (strcmp(op, "Tf") == 0 && last_name) {
        qpdf_oh fonts = qpdf_oh_get_key_if_dict(q, resources, "/Font");
        char key[256];
        g_snprintf(key, sizeof key, "/%s", last_name);
        qpdf_oh f = qpdf_oh_get_key_if_dict(q, fonts, key);
        font = qpdf_oh_is_dictionary(q, f) ? font_for(C, f) : NULL;
      } else if (strcmp(op, "Tj") == 0 || strcmp(op, "TJ") == 0 || strcmp(op, "'") == 0 ||
                 strcmp(op, "\"") == 0) {
        for (guint i = 0; i < strs->len; i++)
          check_string(C, font, g_ptr_array_index(strs, i));
        check_black(C, &ps.fill, font && font->type3 ? "Type 3 glyphs (a barcode?)" : "text");
      } else if (strcmp(op, "Do") == 0 && last_name) {
        do_xobject(C, resources, last_name, ctm, depth);
      } else if (strcmp(op, "ID") == 0) {
        skip_inline_image(&L);
      }
      if (!in_array) {
        g_array_set_size(nums, 0);
        g_ptr_array_set_size(strs, 0);
      }
      break;
    }
    }
  }
  g_free(last_name);
  g_array_free(stack, TRUE);
  g_array_free(colors, TRUE);
  g_ptr_array_free(strs, TRUE);
  g_array_free(nums, TRUE);
  g_string_free(t.text, TRUE);
}

/* Are two loaded outlines the same shape? */
static bool same_outline(const FT_Outline *a, const FT_Outline *b) {
  if (a->n_points != b->n_points || a->n_contours != b->n_contours) return false;
  for (int i = 0; i < a->n_contours; i++)
    if (a->contours[i] != b->contours[i]) return false;
  for (int i = 0; i < a->n_points; i++)
    if (a->points[i].x != b->points[i].x || a->points[i].y != b->points[i].y) return false;
  return true;
}

/* The glyph a simple font's code selects in its embedded program. */
static FT_UInt simple_glyph(FT_Face face, unsigned code) {
  FT_UInt g = 0;
  if (FT_Select_Charmap(face, FT_ENCODING_MS_SYMBOL) == 0)
    g = FT_Get_Char_Index(face, 0xF000 + code);
  if (!g && FT_Select_Charmap(face, FT_ENCODING_APPLE_ROMAN) == 0)
    g = FT_Get_Char_Index(face, code);
  if (!g && FT_Select_Charmap(face, FT_ENCODING_UNICODE) == 0) g = FT_Get_Char_Index(face, code);
  return g;
}

/* Count the used glyphs of font f whose outline is its .notdef outline. */
static void check_notdef_outlines(checker *C, FT_Library ft, font_info *f) {
  if (!f->program || g_hash_table_size(f->used) == 0) return;
  FT_Face face;
  if (FT_New_Memory_Face(ft, f->program, (FT_Long)f->program_len, 0, &face) != 0) return;
  FT_Outline notdef;
  bool have = FT_Load_Glyph(face, 0, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) == 0 &&
              face->glyph->format == FT_GLYPH_FORMAT_OUTLINE && face->glyph->outline.n_points > 0 &&
              FT_Outline_New(ft, face->glyph->outline.n_points, face->glyph->outline.n_contours,
                             &notdef) == 0;
  if (have) FT_Outline_Copy(&face->glyph->outline, &notdef);
  /* an empty .notdef cannot be told from a space: nothing to compare */
  GHashTableIter it;
  gpointer key, page;
  g_hash_table_iter_init(&it, f->used);
  while (have && g_hash_table_iter_next(&it, &key, &page)) {
    unsigned k = GPOINTER_TO_UINT(key) - 1;
    FT_UInt gid = f->cid ? k : simple_glyph(face, k);
    if (gid == 0 || FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) != 0) continue;
    if (face->glyph->format == FT_GLYPH_FORMAT_OUTLINE &&
        same_outline(&face->glyph->outline, &notdef)) {
      if (C->rep->notdef_glyphs++ == 0)
        tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.notdef",
                    "%s: page %u draws the .notdef glyph (a missing character box) in font %s",
                    C->file, GPOINTER_TO_UINT(page), f->name);
    }
  }
  if (have) FT_Outline_Done(ft, &notdef);
  FT_Done_Face(face);
}

/* A page box, looking up the page tree for inherited ones. */
static bool page_box(qpdf_data q, qpdf_oh page, const char *key, double box[4]) {
  qpdf_oh node = page;
  for (int depth = 0; depth < 32 && qpdf_oh_is_dictionary(q, node); depth++) {
    qpdf_oh b = qpdf_oh_get_key(q, node, key);
    if (qpdf_oh_is_array(q, b) && qpdf_oh_get_array_n_items(q, b) == 4) {
      for (int i = 0; i < 4; i++)
        box[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, b, i));
      return true;
    }
    node = qpdf_oh_get_key(q, node, "/Parent");
  }
  return false;
}

/* TrimBox inside BleedBox inside MediaBox. */
static void check_boxes(checker *C, qpdf_oh page) {
  double media[4], bleed[4], trim[4];
  if (!page_box(C->q, page, "/MediaBox", media)) return;
  bool has_bleed = page_box(C->q, page, "/BleedBox", bleed),
       has_trim = page_box(C->q, page, "/TrimBox", trim);
  C->rep->bleed_boxes += has_bleed;
  C->rep->trim_boxes += has_trim;
  if (!has_bleed) memcpy(bleed, media, sizeof bleed);
  if (!has_trim) memcpy(trim, bleed, sizeof trim);
  const double e = 0.01;
  bool inside = bleed[0] >= media[0] - e && bleed[1] >= media[1] - e && bleed[2] <= media[2] + e &&
                bleed[3] <= media[3] + e && trim[0] >= bleed[0] - e && trim[1] >= bleed[1] - e &&
                trim[2] <= bleed[2] + e && trim[3] <= bleed[3] + e;
  if (!inside)
    tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.page-boxes",
                "%s: page %u's TrimBox, BleedBox and MediaBox are not nested", C->file, C->page);
}

/* The output intent and PDF/X identification. */
static void check_intent(checker *C) {
  qpdf_data q = C->q;
  tg_preflight_report *rep = C->rep;
  qpdf_oh root = qpdf_get_root(q);
  qpdf_oh intents = qpdf_oh_get_key(q, root, "/OutputIntents");
  if (qpdf_oh_is_array(q, intents) && qpdf_oh_get_array_n_items(q, intents) > 0) {
    rep->output_intent = true;
    qpdf_oh oi = qpdf_oh_get_array_item(q, intents, 0);
    qpdf_oh prof = qpdf_oh_get_key(q, oi, "/DestOutputProfile");
    if (qpdf_oh_is_stream(q, prof)) {
      qpdf_oh n = qpdf_oh_get_key(q, qpdf_oh_get_dict(q, prof), "/N");
      rep->intent_components = qpdf_oh_is_integer(q, n) ? qpdf_oh_get_int_value_as_int(q, n) : 0;
    }
  }
  const char *x = qpdf_get_info_key(q, "/GTS_PDFXVersion");
  rep->pdfx = x != NULL;
  if (!rep->output_intent)
    tg_diag_add(C->d, rep->pdfx ? TG_ERROR : TG_NOTE, TG_KIND_DATA, "preflight.no-output-intent",
                "%s declares no output intent: the vendor does not know the printing condition "
                "its colours are meant for",
                C->file);
  if (rep->pdfx && rep->trim_boxes < rep->pages)
    tg_diag_add(C->d, TG_ERROR, TG_KIND_DATA, "preflight.page-boxes",
                "%s claims PDF/X but %zu of its %zu pages have no TrimBox", C->file,
                rep->pages - rep->trim_boxes, rep->pages);
}

tg_exit tg_preflight(const char *path, const tg_preflight_options *opt, tg_preflight_report *rep,
                     tg_diag *d) {
  memset(rep, 0, sizeof *rep);
  qpdf_data q = qpdf_init();
  qpdf_silence_errors(q);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  if (qpdf_read(q, path, opt && opt->password ? opt->password : NULL) & QPDF_ERRORS) {
    qpdf_error e = qpdf_get_error(q);
    tg_diag_add(d, TG_ERROR, TG_KIND_DATA, "preflight.unreadable", "%s cannot be read as a PDF: %s",
                path, e ? qpdf_get_error_full_text(q, e) : "unknown error");
    qpdf_cleanup(&q);
    return TG_EXIT_INVALID;
  }
  if (qpdf_is_encrypted(q))
    tg_diag_add(d, TG_NOTE, TG_KIND_DATA, "preflight.encrypted",
                "%s is encrypted: the vendor needs its password", path);
  checker C = {q,    d,
               path, g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, font_info_free),
               rep,  opt && opt->min_image_ppi > 0 ? opt->min_image_ppi : 300,
               0};
  int n = qpdf_get_num_pages(q);
  rep->pages = n > 0 ? (size_t)n : 0;
  double first[2] = {0, 0};
  for (int i = 0; i < n; i++) {
    C.page = (unsigned)i + 1;
    qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
    double box[4];
    if (!page_box(q, page, "/TrimBox", box) && !page_box(q, page, "/MediaBox", box))
      box[0] = box[1] = box[2] = box[3] = 0;
    double w = box[2] - box[0], h = box[3] - box[1];
    if (i == 0) {
      first[0] = w;
      first[1] = h;
    }
    bool bad_size = opt && opt->page_w_pt > 0
                        ? fabs(w - opt->page_w_pt) > 0.5 || fabs(h - opt->page_h_pt) > 0.5
                        : fabs(w - first[0]) > 0.5 || fabs(h - first[1]) > 0.5;
    if (bad_size && rep->bad_page_sizes++ == 0)
      tg_diag_add(d, TG_ERROR, TG_KIND_DATA, "preflight.page-size",
                  "%s: page %d is %.1f x %.1f mm; expected %.1f x %.1f mm", path, i + 1,
                  tg_pt_to_mm(w), tg_pt_to_mm(h),
                  tg_pt_to_mm(opt && opt->page_w_pt > 0 ? opt->page_w_pt : first[0]),
                  tg_pt_to_mm(opt && opt->page_w_pt > 0 ? opt->page_h_pt : first[1]));
    check_boxes(&C, page);
    unsigned char *buf = NULL;
    size_t len = 0;
    if (qpdf_oh_get_page_content_data(q, page, &buf, &len) == QPDF_SUCCESS) {
      qpdf_oh res = qpdf_oh_get_key(q, page, "/Resources");
      walk(&C, buf, len, res, IDENTITY, 0);
    }
    free(buf);
  }
  rep->page_w_pt = first[0];
  rep->page_h_pt = first[1];
  FT_Library ft;
  if (FT_Init_FreeType(&ft) == 0) {
    GHashTableIter it;
    gpointer key, val;
    g_hash_table_iter_init(&it, C.fonts);
    while (g_hash_table_iter_next(&it, &key, &val))
      check_notdef_outlines(&C, ft, val);
    FT_Done_FreeType(ft);
  }
  check_intent(&C);
  if (rep->notdef_glyphs > 1)
    tg_diag_add(d, TG_ERROR, TG_KIND_DATA, "preflight.notdef", "%s: %zu .notdef glyphs in all",
                path, rep->notdef_glyphs);
  g_hash_table_destroy(C.fonts);
  qpdf_cleanup(&q);
  return tg_diag_count_at_least(d, TG_ERROR) > errors_before ? TG_EXIT_INVALID : TG_EXIT_OK;
}
