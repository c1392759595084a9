/* test_color.c — the finishing pass's colour rewrite on content streams
 * (engine/lib/render/color.c): RGB greys become DeviceGray so that black is
 * K only, other colours are kept (or converted when a CMYK transform is set),
 * and nothing that only looks like a colour operator — inside strings,
 * comments, inline image data or with too few operands — is touched.  Bytes
 * between rewritten operators are copied as they are. */
#include "render/render_private.h"
#include "tg_test.h"

/* The rewritten stream, or NULL when nothing changed (g_free). */
static char *rewrite(const char *in) {
  render_color c;
  render_color_init(&c, 0);
  GString *out = g_string_new(NULL);
  bool changed = render_color_rewrite_stream(&c, (const unsigned char *)in, strlen(in), out);
  render_color_clear(&c);
  return changed ? g_string_free(out, FALSE) : (g_string_free(out, TRUE), NULL);
}

static void assert_rewrite(const char *in, const char *want) {
  char *got = rewrite(in);
  if (want)
    assert_string_equal(got, want);
  else
    assert_null(got);
  g_free(got);
}

static void rgb_greys_become_device_gray(void **state) {
  (void)state;
  assert_rewrite("0 0 0 rg BT /f-0-0 1 Tf (a) Tj ET", "0 g BT /f-0-0 1 Tf (a) Tj ET");
  assert_rewrite("0.25098 0.25098 0.25098 RG 1 0 0 1 2 3 cm", "0.25098 G 1 0 0 1 2 3 cm");
  assert_rewrite("q\n1 1 1 rg\n0 0 m 1 1 l f\nQ", "q\n1 g\n0 0 m 1 1 l f\nQ");
  /* several in one stream, the bytes between them untouched */
  assert_rewrite("0 0 0 rg  %c\n 0 0 0 RG\t/a0 gs", "0 g  %c\n 0 G\t/a0 gs");
}

static void colours_are_kept_without_a_transform(void **state) {
  (void)state;
  assert_rewrite("0.701961 0.14902 0.117647 rg 0 0 10 10 re f", NULL);
  assert_rewrite("0 0 0 1 k 0.5 g", NULL);
}

static void look_alikes_are_not_touched(void **state) {
  (void)state;
  assert_rewrite("BT (0 0 0 rg) Tj ET", NULL);                /* in a string */
  assert_rewrite("BT (a\\) 0 0 0 rg) Tj ET", NULL);           /* escaped paren */
  assert_rewrite("% 0 0 0 rg\n1 w", NULL);                    /* in a comment */
  assert_rewrite("0 0 rg", NULL);                             /* too few operands */
  assert_rewrite("/N 0 0 rg", NULL);                          /* a name operand */
  assert_rewrite("BI /W 1 /H 1 ID \x01 0 0 0 rg EI 0 0 0 rg", /* inline image data */
                 "BI /W 1 /H 1 ID \x01 0 0 0 rg EI 0 g");
  assert_rewrite("1 2 3 4 5 0.5 0.5 0.5 rg", "1 2 3 4 5 0.5 g"); /* stray operands before */
}

static void colours_go_to_cmyk_and_greys_stay_k_only(void **state) {
  (void)state;
  if (!g_file_test(TG_CMYK_PROFILE, G_FILE_TEST_EXISTS)) skip();
  render_color c;
  render_color_init(&c, 0);
  tg_pdf_print opt = {.cmyk = true};
  tg_diag *d = tg_diag_new();
  assert_true(render_color_start(&c, &opt, d));
  const char *in = "0.701961 0.14902 0.117647 rg 0 0 0 RG 1 0 0 RG";
  GString *out = g_string_new(NULL);
  assert_true(render_color_rewrite_stream(&c, (const unsigned char *)in, strlen(in), out));
  double v[4];
  char op[4];
  char gray[8], g_op[4];
  /* "c m y k k 0 G c m y k K" */
  assert_int_equal(
      sscanf(out->str, "%lf %lf %lf %lf %3s %7s %3s", &v[0], &v[1], &v[2], &v[3], op, gray, g_op),
      7);
  assert_string_equal(op, "k");
  assert_string_equal(gray, "0");
  assert_string_equal(g_op, "G");
  assert_true(v[1] > 0.5 && v[2] > 0.5); /* a red: much magenta and yellow */
  assert_true(g_str_has_suffix(out->str, " K"));
  assert_int_equal(c.grays, 1);
  assert_int_equal(c.converted, 2);
  g_string_free(out, TRUE);
  tg_diag_free(d);
  render_color_clear(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rgb_greys_become_device_gray),
      cmocka_unit_test(colours_are_kept_without_a_transform),
      cmocka_unit_test(look_alikes_are_not_touched),
      cmocka_unit_test(colours_go_to_cmyk_and_greys_stay_k_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
