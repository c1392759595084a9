/* test_pdfw_font.c — the fonts of tegami's own PDF writer (render/pdfw_font.c):
 * which glyph notes agree, advances, and a one-page PDF written by hand
 * with pdfw whose subset font qpdf accepts, pdftotext reads back through
 * ToUnicode and pdffonts reports embedded and subset; the same input
 * gives the same bytes. */
#include "render/pdfw.h"
#include "tg_test.h"

#include <hb.h>

static tg_fonts *fonts;

static int setup(void **state) {
  (void)state;
  fonts = tg_test_fonts();
  return fonts ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  tg_fonts_free(fonts);
  return 0;
}

static const tg_face *gothic(void) {
  const tg_face *f = tg_fonts_find(fonts, "BIZ UDPGothic", 400);
  assert_non_null(f);
  return f;
}

static void fonts_are_numbered_in_order_of_first_use(void **state) {
  (void)state;
  pdfw *w = pdfw_new(true);
  pdfw_fonts *fs = pdfw_fonts_new();
  const tg_face *a = gothic(), *b = tg_fonts_find(fonts, "BIZ UDPMincho", 400);
  assert_non_null(b);
  uint32_t first = pdfw_reserve(w);
  pdfw_font *fb = pdfw_fonts_get(fs, w, b);
  pdfw_font *fa = pdfw_fonts_get(fs, w, a);
  assert_ptr_equal(pdfw_fonts_get(fs, w, b), fb);
  assert_int_equal(pdfw_font_get_index(fb), 1);
  assert_int_equal(pdfw_font_get_index(fa), 2);
  assert_int_equal(pdfw_font_get_object(fb), first + 1);
  assert_int_equal(pdfw_font_get_object(fa), first + 2);
  pdfw_fonts_free(fs);
  pdfw_free(w);
}

static void a_glyph_keeps_the_first_text_noted_for_it(void **state) {
  (void)state;
  pdfw *w = pdfw_new(true);
  pdfw_fonts *fs = pdfw_fonts_new();
  pdfw_font *f = pdfw_fonts_get(fs, w, gothic());
  assert_true(pdfw_font_use_glyph(f, 100, "あ", strlen("あ")));
  assert_true(pdfw_font_use_glyph(f, 100, "あ", strlen("あ")));
  assert_false(pdfw_font_use_glyph(f, 100, "い", strlen("い")));
  assert_false(pdfw_font_use_glyph(f, 100, "あい", strlen("あい")));
  assert_false(pdfw_font_use_glyph(f, 100, "", 0)); /* it has text: none differs */
  /* noted without text: matches no text; later text becomes its text */
  assert_true(pdfw_font_use_glyph(f, 200, NULL, 0));
  assert_true(pdfw_font_use_glyph(f, 200, NULL, 0));
  assert_true(pdfw_font_use_glyph(f, 200, "ffi", 3));
  assert_true(pdfw_font_use_glyph(f, 200, "ffi", 3));
  assert_false(pdfw_font_use_glyph(f, 200, "ff", 2));
  /* glyph ids far apart grow the notes */
  assert_true(pdfw_font_use_glyph(f, 60000, "x", 1));
  assert_false(pdfw_font_use_glyph(f, 60000, "y", 1));
  pdfw_fonts_free(fs);
  pdfw_free(w);
}

static void advances_are_thousandths_of_an_em(void **state) {
  (void)state;
  pdfw *w = pdfw_new(true);
  pdfw_fonts *fs = pdfw_fonts_new();
  const tg_face *face = gothic();
  pdfw_font *f = pdfw_fonts_get(fs, w, face);
  hb_font_t *hb = tg_face_get_hb_font(face);
  hb_codepoint_t g;
  assert_true(hb_font_get_nominal_glyph(hb, 0x65E5 /* 日 */, &g));
  assert_float_equal(pdfw_font_advance(f, g), 1000.0, 1e-9);
  assert_float_equal(pdfw_font_advance(f, g), 1000.0, 1e-9); /* cached */
  assert_true(hb_font_get_nominal_glyph(hb, 'i', &g));
  double i_em = pdfw_font_advance(f, g);
  assert_true(i_em > 100 && i_em < 500); /* proportional Latin */
  unsigned upem = hb_face_get_upem(hb_font_get_face(hb));
  assert_float_equal(i_em, hb_font_get_glyph_h_advance(hb, g) * 1000.0 / upem, 1e-9);
  pdfw_fonts_free(fs);
  pdfw_free(w);
}

/* A one-page PDF showing `text` in BIZ UDPGothic, shaped with HarfBuzz
 * (compact: object streams and a cross-reference stream). */
static GByteArray *one_page(const char *text, bool compact) {
  pdfw *w = pdfw_new(compact);
  pdfw_fonts *fs = pdfw_fonts_new();
  uint32_t catalog = pdfw_reserve(w), pages = pdfw_reserve(w), page = pdfw_reserve(w),
           content = pdfw_reserve(w), info = pdfw_reserve(w);
  const tg_face *face = gothic();
  pdfw_font *f = pdfw_fonts_get(fs, w, face);
  hb_buffer_t *buf = hb_buffer_create();
  hb_buffer_add_utf8(buf, text, -1, 0, -1);
  hb_buffer_guess_segment_properties(buf);
  hb_shape(tg_face_get_hb_font(face), buf, NULL, 0);
  unsigned n = 0;
  hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
  GString *c = g_string_new(NULL);
  g_string_append_printf(c, "BT /F%u 12 Tf 1 0 0 1 72 700 Tm <", pdfw_font_get_index(f));
  size_t len = strlen(text);
  for (unsigned i = 0; i < n; i++) {
    unsigned start = gi[i].cluster, end = (unsigned)len;
    for (unsigned k = i + 1; k < n; k++)
      if (gi[k].cluster != start) {
        end = gi[k].cluster;
        break;
      }
    bool first = i == 0 || gi[i - 1].cluster != start;
    assert_true(pdfw_font_use_glyph(f, gi[i].codepoint, text + start, first ? end - start : 0));
    g_string_append_printf(c, "%04X", gi[i].codepoint);
  }
  g_string_append(c, "> Tj ET\n");
  hb_buffer_destroy(buf);
  pdfw_stream(w, content, "", c->str, c->len, true);
  g_string_free(c, TRUE);
  GString *s = g_string_new(NULL);
  g_string_printf(s, "<< /Type /Catalog /Pages %u 0 R >>", pages);
  pdfw_object(w, catalog, s->str, s->len);
  g_string_printf(s, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
  pdfw_object(w, pages, s->str, s->len);
  g_string_printf(s,
                  "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Resources << /Font "
                  "<< /F%u %u 0 R >> >> /Contents %u 0 R >>",
                  pages, pdfw_font_get_index(f), pdfw_font_get_object(f), content);
  pdfw_object(w, page, s->str, s->len);
  g_string_assign(s, "<< /Producer (tegami test) >>");
  pdfw_object(w, info, s->str, s->len);
  g_string_free(s, TRUE);
  tg_diag *d = tg_diag_new();
  assert_true(pdfw_fonts_write(fs, w, d));
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
  pdfw_fonts_free(fs);
  GByteArray *bytes = pdfw_finish(w, catalog, info);
  pdfw_free(w);
  return bytes;
}

/* Run a command; its standard output (g_free), NULL if it failed. */
static char *run(const char *const *argv) {
  char *out = NULL, *err = NULL;
  int status = 0;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                    NULL))
    return NULL;
  bool ok = g_spawn_check_wait_status(status, NULL);
  if (!ok) fprintf(stderr, "%s: %s%s", argv[0], out ? out : "", err ? err : "");
  g_free(err);
  if (!ok) g_free(out);
  return ok ? out : NULL;
}

static void check_page(bool compact) {
  const char *text = "日本語のテスト、Tegami 1.5";
  GByteArray *pdf = one_page(text, compact);
  char *path = tg_test_write_temp("font.pdf", (const char *)pdf->data, pdf->len);
  const char *check[] = {"qpdf", "--check", path, NULL};
  char *out = run(check);
  assert_non_null(out);
  g_free(out);
  const char *totext[] = {"pdftotext", "-enc", "UTF-8", path, "-", NULL};
  out = run(totext);
  assert_non_null(out);
  assert_non_null(strstr(out, text)); /* through ToUnicode */
  g_free(out);
  const char *pdffonts[] = {"pdffonts", path, NULL};
  out = run(pdffonts);
  assert_non_null(out);
  /* name, type, encoding, then emb sub uni */
  assert_non_null(strstr(out, "+BIZUDPGothic"));
  assert_non_null(strstr(out, "CID TrueType"));
  assert_non_null(g_regex_match_simple("Identity-H +yes +yes +yes", out, 0, 0));
  g_free(out);
  tg_test_remove_temp(path);
  g_byte_array_free(pdf, TRUE);
}

static void a_page_of_subset_japanese_reads_back_as_its_text(void **state) {
  (void)state;
  check_page(true);
  check_page(false);
}

static void the_same_glyphs_give_the_same_bytes(void **state) {
  (void)state;
  for (int compact = 0; compact < 2; compact++) {
    GByteArray *a = one_page("同じ入力、同じバイト", compact);
    GByteArray *b = one_page("同じ入力、同じバイト", compact);
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->data, b->data, a->len);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(b, TRUE);
  }
}

int main(void) {
  const char *tools[] = {"qpdf", "pdftotext", "pdffonts"};
  for (size_t i = 0; i < G_N_ELEMENTS(tools); i++) {
    char *p = g_find_program_in_path(tools[i]);
    if (!p) {
      fprintf(stderr, "skipped: %s not found\n", tools[i]);
      return 77;
    }
    g_free(p);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fonts_are_numbered_in_order_of_first_use),
      cmocka_unit_test(a_glyph_keeps_the_first_text_noted_for_it),
      cmocka_unit_test(advances_are_thousandths_of_an_em),
      cmocka_unit_test(a_page_of_subset_japanese_reads_back_as_its_text),
      cmocka_unit_test(the_same_glyphs_give_the_same_bytes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
