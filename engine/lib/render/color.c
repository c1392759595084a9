/* color.c — print colour in the finishing pass: black as K only.
 *
 * Cairo paints in DeviceRGB: black text, rules and the customer barcode come
 * out as `0 0 0 rg`, which a vendor's RIP separates into rich black (about
 * C73 M68 Y67 K89) that misregisters in small text and in the barcode's
 * 0.6 mm bars.  Every PDF tegami writes goes once through libqpdf
 * (pdf_finish in pdf.c), and there this file rewrites the colour operators
 * of every content stream — pages, form XObjects (the static layers, QR
 * symbols, SVG images), tiling patterns and Type 3 glyph procedures:
 *
 *   - an RGB colour with r = g = b becomes DeviceGray (`0 0 0 rg` → `0 g`,
 *     `0.3 0.3 0.3 RG` → `0.3 G`): black and greys print on the K plate
 *     only.  DeviceGray g is exactly DeviceRGB g g g by the PDF's own
 *     conversion, so what the page looks like on screen does not change;
 *   - every other colour is left to render_color_convert() (CMYK output,
 *     color_cmyk.c), or stays RGB.
 *
 * Each content stream is tokenised once; the bytes between rewritten
 * operators are copied untouched, and a stream with nothing to rewrite is
 * not replaced at all.  The rewrite is a pure function of the bytes, so the
 * output stays deterministic.
 */
#include "render/render_private.h"

#include <stdlib.h>
#include <string.h>

static bool is_ws(int c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
static bool is_delim(int c) { return c && strchr("()<>[]{}/%", c) != NULL; }

typedef struct {
  size_t start, end; /* bytes of the token */
  bool number;
  double value;
} operand;

#define MAX_OPERANDS 8

/* The end of a literal string starting at p (just after its '('). */
static size_t skip_string(const unsigned char *s, size_t p, size_t n) {
  int depth = 1;
  while (p < n && depth > 0) {
    unsigned char c = s[p++];
    if (c == '\\')
      p++;
    else if (c == '(')
      depth++;
    else if (c == ')')
      depth--;
  }
  return p < n ? p : n;
}

/* After an ID operator: the inline image's bytes up to whitespace EI. */
static size_t skip_inline_image(const unsigned char *s, size_t p, size_t n) {
  for (p++; p + 2 < n; p++)
    if (is_ws(s[p]) && s[p + 1] == 'E' && s[p + 2] == 'I' &&
        (p + 3 >= n || is_ws(s[p + 3]) || is_delim(s[p + 3])))
      return p + 3;
  return n;
}

/* Append operand `o` as written. */
static void put_operand(GString *out, const unsigned char *s, const operand *o) {
  g_string_append_len(out, (const char *)s + o->start, (gssize)(o->end - o->start));
}

/* An rg/RG with operands r g b: write its replacement into out and return
 * true, or false to keep it. */
static bool rewrite_rgb(render_color *c, const unsigned char *s, const operand *rgb, bool stroke,
                        GString *out) {
  if (!rgb[0].number || !rgb[1].number || !rgb[2].number) return false;
  if (rgb[0].value == rgb[1].value && rgb[1].value == rgb[2].value) {
    put_operand(out, s, &rgb[0]);
    g_string_append(out, stroke ? " G" : " g");
    c->grays++;
    return true;
  }
  double v[3] = {rgb[0].value, rgb[1].value, rgb[2].value};
  return render_color_convert(c, v, stroke, out);
}

bool render_color_rewrite_stream(render_color *c, const unsigned char *s, size_t n, GString *out) {
  operand ops[MAX_OPERANDS];
  size_t nops = 0, copied = 0, p = 0;
  bool changed = false;
  while (p < n) {
    unsigned char ch = s[p];
    if (is_ws(ch)) {
      p++;
      continue;
    }
    if (ch == '%') {
      while (p < n && s[p] != '\n' && s[p] != '\r')
        p++;
      continue;
    }
    size_t start = p;
    bool op = false;
    if (ch == '(') {
      p = skip_string(s, p + 1, n);
    } else if (ch == '<' && p + 1 < n && s[p + 1] == '<') {
      p += 2;
    } else if (ch == '>' && p + 1 < n && s[p + 1] == '>') {
      p += 2;
    } else if (ch == '<') {
      while (p < n && s[p] != '>')
        p++;
      p = p < n ? p + 1 : n;
    } else if (ch == '/') {
      for (p++; p < n && !is_ws(s[p]) && !is_delim(s[p]); p++)
        ;
    } else if (is_delim(ch)) {
      p++; /* [ ] { } and stray delimiters */
    } else {
      while (p < n && !is_ws(s[p]) && !is_delim(s[p]))
        p++;
      op = !(g_ascii_isdigit(ch) || ch == '+' || ch == '-' || ch == '.');
    }
    if (!op) {
      /* an operand: keep the last MAX_OPERANDS */
      if (nops == MAX_OPERANDS) {
        memmove(ops, ops + 1, (MAX_OPERANDS - 1) * sizeof *ops);
        nops--;
      }
      operand *o = &ops[nops++];
      o->start = start, o->end = p;
      o->number = !(ch == '(' || ch == '<' || ch == '/' || ch == '[' || ch == ']' || ch == '{' ||
                    ch == '}' || ch == '>');
      o->value = 0;
      if (o->number) {
        char buf[64];
        size_t len = p - start < sizeof buf - 1 ? p - start : sizeof buf - 1;
        memcpy(buf, s + start, len);
        buf[len] = '\0';
        char *endp;
        o->value = g_ascii_strtod(buf, &endp);
        o->number = *endp == '\0';
      }
      continue;
    }
    size_t oplen = p - start;
    if (oplen == 2 &&
        ((s[start] == 'r' && s[start + 1] == 'g') || (s[start] == 'R' && s[start + 1] == 'G')) &&
        nops >= 3) {
      const operand *rgb = &ops[nops - 3];
      size_t keep = out->len;
      g_string_append_len(out, (const char *)s + copied, (gssize)(rgb[0].start - copied));
      if (rewrite_rgb(c, s, rgb, s[start] == 'R', out)) {
        copied = p;
        changed = true;
      } else {
        g_string_truncate(out, keep);
      }
    } else if (oplen == 2 && s[start] == 'I' && s[start + 1] == 'D') {
      p = skip_inline_image(s, p, n);
    }
    nops = 0;
  }
  if (changed) g_string_append_len(out, (const char *)s + copied, (gssize)(n - copied));
  return changed;
}

/* Rewrite one content stream in place (in the qpdf document). */
static bool rewrite_object(render_color *c, qpdf_oh stream) {
  qpdf_data q = c->q;
  if (!qpdf_oh_is_stream(q, stream)) return true;
  int id = qpdf_oh_get_object_id(q, stream);
  if (id && !g_hash_table_add(c->done, GINT_TO_POINTER(id))) return true;
  unsigned char *buf = NULL;
  size_t len = 0;
  QPDF_BOOL filtered = QPDF_FALSE;
  if (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, &len) !=
          QPDF_SUCCESS ||
      !filtered) {
    free(buf);
    return true; /* a filter we cannot undo: left as it is, preflight reports it */
  }
  GString *out = g_string_sized_new(len + 64);
  if (render_color_rewrite_stream(c, buf, len, out)) {
    qpdf_oh none = qpdf_oh_new_null(q);
    qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)out->str, out->len, none, none);
    qpdf_oh_release(q, none);
    c->streams++;
  }
  g_string_free(out, TRUE);
  free(buf);
  return true;
}

static bool name_is(qpdf_data q, qpdf_oh dict, const char *key, const char *name) {
  qpdf_oh v = qpdf_oh_get_key(q, dict, key);
  bool r = qpdf_oh_is_name_and_equals(q, v, name);
  qpdf_oh_release(q, v);
  return r;
}

/* A Type 3 font's glyph procedures. */
static void rewrite_char_procs(render_color *c, qpdf_oh font) {
  qpdf_data q = c->q;
  qpdf_oh procs = qpdf_oh_get_key(q, font, "/CharProcs");
  if (qpdf_oh_is_dictionary(q, procs)) {
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    qpdf_oh_begin_dict_key_iter(q, procs);
    while (qpdf_oh_dict_more_keys(q))
      g_ptr_array_add(keys, g_strdup(qpdf_oh_dict_next_key(q)));
    for (guint i = 0; i < keys->len; i++) {
      qpdf_oh proc = qpdf_oh_get_key(q, procs, g_ptr_array_index(keys, i));
      rewrite_object(c, proc);
      qpdf_oh_release(q, proc);
    }
    g_ptr_array_free(keys, TRUE);
  }
  qpdf_oh_release(q, procs);
}

void render_color_init(render_color *c, qpdf_data q) {
  memset(c, 0, sizeof *c);
  c->q = q;
  c->done = g_hash_table_new(g_direct_hash, g_direct_equal);
}

bool render_color_rewrite(render_color *c, tg_diag *d) {
  (void)d;
  qpdf_data q = c->q;
  /* page contents */
  int npages = qpdf_get_num_pages(q);
  for (int i = 0; i < npages; i++) {
    qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
    qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
    if (qpdf_oh_is_array(q, contents)) {
      int k = qpdf_oh_get_array_n_items(q, contents);
      for (int j = 0; j < k; j++) {
        qpdf_oh part = qpdf_oh_get_array_item(q, contents, j);
        rewrite_object(c, part);
        qpdf_oh_release(q, part);
      }
    } else {
      rewrite_object(c, contents);
    }
    qpdf_oh_release(q, contents);
    qpdf_oh_release(q, page);
  }
  /* every other content stream, by object number: forms, tiling patterns,
   * Type 3 fonts' glyph procedures */
  qpdf_oh trailer = qpdf_get_trailer(q);
  qpdf_oh size = qpdf_oh_get_key(q, trailer, "/Size");
  int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;
  qpdf_oh_release(q, size);
  qpdf_oh_release(q, trailer);
  for (int id = 1; id < n; id++) {
    qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
    if (qpdf_oh_is_stream(q, o)) {
      qpdf_oh dict = qpdf_oh_get_dict(q, o);
      qpdf_oh pt = qpdf_oh_get_key(q, dict, "/PatternType");
      if (name_is(q, dict, "/Subtype", "/Form") ||
          (qpdf_oh_is_integer(q, pt) && qpdf_oh_get_int_value_as_int(q, pt) == 1))
        rewrite_object(c, o);
      qpdf_oh_release(q, pt);
      qpdf_oh_release(q, dict);
    } else if (qpdf_oh_is_dictionary(q, o) && name_is(q, o, "/Type", "/Font") &&
               name_is(q, o, "/Subtype", "/Type3")) {
      rewrite_char_procs(c, o);
    }
    qpdf_oh_release(q, o);
  }
  return true;
}
