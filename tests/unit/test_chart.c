/* test_chart.c — the result charts (layout/chart.c) and experiment arms in
 * designs: reference values and G categories as published, charts that are
 * deterministic, stay in their box, put the reader where the value says,
 * tell zones apart without colour, set Japanese labels through the text
 * engine; and blocks limited to arms shown only in letters of those arms. */
#include "layout/layout_private.h"
#include "tg_test.h"

#include <math.h>

static int setup(void **state) {
  *state = tg_test_fonts();
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  tg_fonts_free(*state);
  return 0;
}

static const double MM = 72.0 / 25.4;

/* ---- reference values ------------------------------------------------------------------- */

static void reference_values_are_the_tokutei_kenshin_thresholds(void **state) {
  (void)state;
  struct {
    const char *name;
    double guide, refer;
  } want[] = {{"systolic", 130, 140}, {"diastolic", 85, 90}, {"hba1c", 5.6, 6.5},
              {"glucose", 100, 126},  {"ldl", 120, 140},     {"egfr", 60, 45}};
  for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
    const tg_chart_measure *m = tg_chart_find_measure(want[i].name);
    assert_non_null(m);
    assert_true(m->guide == want[i].guide);
    assert_true(m->refer == want[i].refer);
  }
  assert_null(tg_chart_find_measure("weight"));
}

static void zones_start_at_the_threshold_itself(void **state) {
  (void)state;
  const tg_chart_measure *sbp = tg_chart_find_measure("systolic");
  assert_int_equal(tg_chart_classify(sbp, 129), TG_CHART_NORMAL);
  assert_int_equal(tg_chart_classify(sbp, 130), TG_CHART_GUIDE);
  assert_int_equal(tg_chart_classify(sbp, 139), TG_CHART_GUIDE);
  assert_int_equal(tg_chart_classify(sbp, 140), TG_CHART_REFER);
  /* eGFR: lower is worse, and the limits are "below" (< 60, < 45) */
  const tg_chart_measure *egfr = tg_chart_find_measure("egfr");
  assert_int_equal(tg_chart_classify(egfr, 60), TG_CHART_NORMAL);
  assert_int_equal(tg_chart_classify(egfr, 59.9), TG_CHART_GUIDE);
  assert_int_equal(tg_chart_classify(egfr, 45), TG_CHART_GUIDE);
  assert_int_equal(tg_chart_classify(egfr, 44.9), TG_CHART_REFER);
}

static void g_categories_follow_kdigo(void **state) {
  (void)state;
  struct {
    double egfr;
    const char *g;
  } cases[] = {{120, "G1"},   {90, "G1"},  {89.9, "G2"}, {60, "G2"}, {59.9, "G3a"}, {45, "G3a"},
               {44.9, "G3b"}, {30, "G3b"}, {29.9, "G4"}, {15, "G4"}, {14.9, "G5"},  {0, "G5"}};
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
    assert_string_equal(tg_ckd_g_category(cases[i].egfr), cases[i].g);
}

/* ---- drawing -------------------------------------------------------------------------------- */

typedef struct {
  tg_layout_ctx *ctx;
  tg_diag *d;
  const tg_item *items;
  size_t n;
} drawn;

static bool draw(tg_fonts *fonts, drawn *out, const char *kind, const char *const *names,
                 const char *const *values, size_t n) {
  out->ctx = tg_layout_ctx_new(fonts);
  out->d = tg_diag_new();
  tg_chart_spec spec = {.kind = kind,
                        .name = "c",
                        .x_pt = 20 * MM,
                        .y_pt = 30 * MM,
                        .width_pt = 170 * MM,
                        .height_pt = 70 * MM,
                        .nvalues = n,
                        .names = names,
                        .values = values,
                        .size_pt = 9};
  return tg_layout_chart(out->ctx, &spec, &out->items, &out->n, out->d);
}

static void drawn_free(drawn *x) {
  tg_layout_ctx_free(x->ctx);
  tg_diag_free(x->d);
}

static const tg_item *find(const drawn *x, tg_item_type type, const char *block) {
  for (size_t i = 0; i < x->n; i++)
    if (x->items[i].type == type && strcmp(x->items[i].block, block) == 0) return &x->items[i];
  return NULL;
}

static const char *const RESULT_NAMES[] = {"systolic", "diastolic", "hba1c", "ldl", "egfr"};

static void a_chart_is_the_same_every_time_and_stays_in_its_box(void **state) {
  const char *const values[] = {"152", "79", "5.6", "150", "57.6"};
  drawn a, b;
  assert_true(draw(*state, &a, "results", RESULT_NAMES, values, 5));
  assert_true(draw(*state, &b, "results", RESULT_NAMES, values, 5));
  assert_int_equal(a.n, b.n);
  assert_true(a.n > 50);
  /* the first item names the kind and the values, for the trace */
  assert_int_equal(a.items[0].type, TG_ITEM_SLOT);
  assert_string_equal(a.items[0].u.slot.kind, "results");
  for (size_t i = 0; i < a.n; i++) {
    const tg_item *p = &a.items[i], *q = &b.items[i];
    assert_int_equal(p->type, q->type);
    assert_string_equal(p->block, q->block);
    assert_true(p->x_pt == q->x_pt && p->y_pt == q->y_pt);
    /* nothing leaves the box (glyph items: their baseline and advance) */
    double x2 = p->x_pt, y2 = p->y_pt;
    if (p->type == TG_ITEM_RECT) x2 += p->u.rect.w_pt, y2 += p->u.rect.h_pt;
    if (p->type == TG_ITEM_LINE) x2 = fmax(x2, p->u.line.x2_pt), y2 = fmax(y2, p->u.line.y2_pt);
    if (p->type == TG_ITEM_GLYPHS) x2 += p->u.glyphs.width_pt;
    assert_true(p->x_pt >= 20 * MM - 0.01 && x2 <= 190 * MM + 0.01);
    assert_true(p->y_pt >= 30 * MM - 2 && y2 <= 100 * MM + 0.01);
  }
  drawn_free(&a);
  drawn_free(&b);
}

static void the_needle_sits_at_the_value_on_the_scale(void **state) {
  /* a value equal to the 受診勧奨判定値 sits exactly on the zone boundary */
  const char *const names[] = {"systolic"};
  const char *const values[] = {"140"};
  drawn x;
  assert_true(draw(*state, &x, "results", names, values, 1));
  const tg_item *refer = find(&x, TG_ITEM_RECT, "c/systolic.bar.refer");
  const tg_item *needle = find(&x, TG_ITEM_LINE, "c/systolic.you");
  assert_non_null(refer);
  assert_non_null(needle);
  assert_true(fabs(needle->x_pt - refer->x_pt) < 1e-6);
  drawn_free(&x);
}

static void a_lower_egfr_sits_further_right(void **state) {
  const char *const names[] = {"egfr"};
  const char *const low[] = {"38.5"}, *const high[] = {"57.6"};
  drawn a, b;
  assert_true(draw(*state, &a, "egfr", names, low, 1));
  assert_true(draw(*state, &b, "egfr", names, high, 1));
  const tg_item *na = find(&a, TG_ITEM_LINE, "c/egfr.you");
  const tg_item *nb = find(&b, TG_ITEM_LINE, "c/egfr.you");
  assert_true(na->x_pt > nb->x_pt);
  /* the reader's band is outlined: G3b for 38.5 */
  assert_non_null(find(&a, TG_ITEM_RECT, "c/egfr.you.g3b"));
  assert_null(find(&a, TG_ITEM_RECT, "c/egfr.you.g3a"));
  drawn_free(&a);
  drawn_free(&b);
}

static double lightness(uint32_t rgba) {
  double r = (rgba >> 24) & 0xFF, g = (rgba >> 16) & 0xFF, b = (rgba >> 8) & 0xFF;
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255.0;
}

static void zones_differ_in_grey_and_the_referral_zone_is_hatched(void **state) {
  const char *const names[] = {"ldl"};
  const char *const values[] = {"150"};
  drawn x;
  assert_true(draw(*state, &x, "results", names, values, 1));
  const tg_item *n = find(&x, TG_ITEM_RECT, "c/ldl.bar.normal");
  const tg_item *g = find(&x, TG_ITEM_RECT, "c/ldl.bar.guide");
  const tg_item *r = find(&x, TG_ITEM_RECT, "c/ldl.bar.refer");
  assert_true(lightness(n->u.rect.fill) - lightness(g->u.rect.fill) > 0.08);
  assert_true(lightness(g->u.rect.fill) - lightness(r->u.rect.fill) > 0.08);
  assert_true(n->u.rect.hatch_pt == 0 && g->u.rect.hatch_pt == 0);
  assert_true(r->u.rect.hatch_pt > 0);
  /* and a legend names the three zones in words */
  assert_non_null(find(&x, TG_ITEM_GLYPHS, "c/legend.normal"));
  assert_non_null(find(&x, TG_ITEM_GLYPHS, "c/legend.guide"));
  assert_non_null(find(&x, TG_ITEM_GLYPHS, "c/legend.refer"));
  drawn_free(&x);
}

static void labels_are_japanese_text_with_ruby(void **state) {
  const char *const names[] = {"egfr", "label-egfr"};
  const char *const values[] = {"52.3", "{腎臓|じんぞう}の はたらき"};
  drawn x;
  assert_true(draw(*state, &x, "results", names, values, 2));
  bool base = false, ruby = false;
  for (size_t i = 0; i < x.n; i++) {
    const tg_item *it = &x.items[i];
    if (it->type != TG_ITEM_GLYPHS || strcmp(it->block, "c/egfr.label") != 0) continue;
    if (it->u.glyphs.ruby && strncmp(it->u.glyphs.text, "じんぞう", it->u.glyphs.text_len) == 0)
      ruby = true;
    if (!it->u.glyphs.ruby && strstr(it->u.glyphs.text, "腎臓")) base = true;
  }
  assert_true(base);
  assert_true(ruby);
  drawn_free(&x);
}

static void an_empty_value_leaves_its_row_out(void **state) {
  const char *const names[] = {"hba1c", "glucose"};
  const char *const values[] = {"", "131"};
  drawn x;
  assert_true(draw(*state, &x, "results", names, values, 2));
  assert_null(find(&x, TG_ITEM_RECT, "c/hba1c.bar"));
  assert_non_null(find(&x, TG_ITEM_RECT, "c/glucose.bar"));
  drawn_free(&x);
}

static void a_value_that_is_not_a_number_is_an_error_that_does_not_show_it(void **state) {
  const char *const names[] = {"egfr"};
  const char *const values[] = {"五十"};
  drawn x;
  assert_false(draw(*state, &x, "results", names, values, 1));
  char *t = tg_test_diag_text(x.d);
  assert_non_null(strstr(t, "chart.number"));
  assert_null(strstr(t, "五十"));
  g_free(t);
  drawn_free(&x);
}

static void full_width_digits_are_numbers(void **state) {
  const char *const names[] = {"egfr"};
  const char *const values[] = {"５２．３"};
  drawn x;
  assert_true(draw(*state, &x, "results", names, values, 1));
  drawn_free(&x);
}

static void unknown_kinds_and_value_names_are_refused(void **state) {
  const char *const names[] = {"egfr-previous"};
  const char *const values[] = {"50"};
  drawn x;
  assert_false(draw(*state, &x, "egfr", names, values, 1));
  char *t = tg_test_diag_text(x.d);
  assert_non_null(strstr(t, "chart.value"));
  g_free(t);
  drawn_free(&x);
  assert_false(draw(*state, &x, "pie", names, values, 1));
  t = tg_test_diag_text(x.d);
  assert_non_null(strstr(t, "chart.kind"));
  g_free(t);
  drawn_free(&x);
}

static void visits_show_each_year_and_leave_out_untreated_conditions(void **state) {
  const char *const names[] = {"columns", "now", "label-1", "row-1", "label-2", "row-2"};
  const char *const values[] = {"3年前, 2年前, 1年前", "今年度", "高血圧症", "○,○,",
                                "腎臓の病気",          ",,"};
  drawn x;
  assert_true(draw(*state, &x, "visits", names, values, 6));
  const tg_item *v1 = find(&x, TG_ITEM_RECT, "c/row1.col1");
  const tg_item *v3 = find(&x, TG_ITEM_RECT, "c/row1.col3");
  assert_non_null(v1);
  assert_non_null(v3);
  /* visited and not visited differ in lightness, and say so in words */
  assert_true(lightness(v3->u.rect.fill) - lightness(v1->u.rect.fill) > 0.3);
  assert_non_null(find(&x, TG_ITEM_GLYPHS, "c/row1.col1"));
  assert_non_null(find(&x, TG_ITEM_RECT, "c/row1.now"));
  /* a condition never treated gets no row */
  assert_null(find(&x, TG_ITEM_RECT, "c/row2.col1"));
  drawn_free(&x);
  /* marks that do not match the columns are an error */
  const char *const bad[] = {"3年前, 2年前, 1年前", "今年度", "高血圧症", "○,○",
                             "腎臓の病気",          ",,"};
  assert_false(draw(*state, &x, "visits", names, bad, 6));
  drawn_free(&x);
}

/* ---- arms in designs ----------------------------------------------------------------------------
 */

static const char *const ARMS_DESIGN = "kind: design\n"
                                       "arms: [loss, gain]\n"
                                       "pages:\n"
                                       "  - blocks:\n"
                                       "      - type: text\n"
                                       "        x: 20mm\n        y: 20mm\n        width: 100mm\n"
                                       "        text: 共通\n"
                                       "      - type: text\n"
                                       "        name: loss-text\n"
                                       "        arms: [loss]\n"
                                       "        x: 20mm\n        y: 40mm\n        width: 100mm\n"
                                       "        text: 失う\n"
                                       "      - type: flow\n"
                                       "        x: 20mm\n        y: 60mm\n        width: 100mm\n"
                                       "        blocks:\n"
                                       "          - type: text\n"
                                       "            name: gain-child\n"
                                       "            arms: gain\n"
                                       "            text: 守る\n";

static bool shows(const tg_pages *pg, const char *block) {
  const tg_page *p = &pg->pages[0];
  for (size_t i = 0; i < p->nitems; i++)
    if (strcmp(p->items[i].block, block) == 0) return true;
  for (size_t i = 0; p->static_layer && i < p->static_layer->nitems; i++)
    if (strcmp(p->static_layer->items[i].block, block) == 0) return true;
  return false;
}

static void blocks_limited_to_an_arm_show_only_in_its_letters(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("arms.yaml", ARMS_DESIGN, strlen(ARMS_DESIGN), d);
  if (!ds) fail_msg("%s", tg_test_diag_text(d));
  assert_int_equal(ds->narms, 2);
  assert_int_equal(tg_design_find_arm(ds, "gain"), 1);
  const char *cols[] = {"氏名"};
  tg_values *v = tg_values_new();
  tg_values_set(v, "list.type", "highrisk");
  tg_merge *m = tg_merge_new(ds, cols, 1, v, d);
  tg_layout *lay = tg_layout_new(ds, m, *state, 0, d);
  assert_non_null(lay);
  tg_layout_ctx *ctx = tg_layout_ctx_new(*state);
  tg_letter *l = tg_letter_new(m);
  const char *f[] = {"見本　一郎"};
  size_t len[] = {strlen(f[0])};
  tg_row row = {.number = 2, .nfields = 1, .fields = f, .lengths = len};
  struct {
    const char *arm;
    bool loss, gain;
  } cases[] = {{"loss", true, false}, {"gain", false, true}, {NULL, true, false}};
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    l->arm_name = cases[i].arm;
    tg_pages pages;
    assert_true(tg_merge_row(m, &row, "list.csv", l, d));
    assert_true(tg_layout_letter(lay, ctx, l, &pages, d));
    assert_int_equal(shows(&pages, "loss-text"), cases[i].loss);
    assert_int_equal(shows(&pages, "gain-child"), cases[i].gain);
    assert_true(shows(&pages, "text#1.1"));
  }
  /* an arm the design does not have is an error naming it, not a silent default */
  l->arm_name = "control";
  tg_pages pages;
  assert_true(tg_merge_row(m, &row, "list.csv", l, d));
  assert_false(tg_layout_letter(lay, ctx, l, &pages, d));
  char *t = tg_test_diag_text(d);
  assert_non_null(strstr(t, "layout.unknown-arm"));
  g_free(t);
  tg_letter_free(l);
  tg_layout_ctx_free(ctx);
  tg_layout_free(lay);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void an_unknown_arm_is_reported_with_a_suggestion(void **state) {
  (void)state;
  const char *text = "kind: design\n"
                     "arms: [loss, gain]\n"
                     "pages:\n"
                     "  - blocks:\n"
                     "      - type: text\n"
                     "        arms: [los]\n"
                     "        x: 20mm\n        y: 20mm\n        width: 100mm\n"
                     "        text: 失う\n";
  tg_diag *d = tg_diag_new();
  assert_null(tg_design_load_text("t.yaml", text, strlen(text), d));
  char *t = tg_test_diag_text(d);
  assert_non_null(strstr(t, "design.unknown-arm"));
  assert_non_null(strstr(t, "did you mean 'loss'"));
  g_free(t);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reference_values_are_the_tokutei_kenshin_thresholds),
      cmocka_unit_test(zones_start_at_the_threshold_itself),
      cmocka_unit_test(g_categories_follow_kdigo),
      cmocka_unit_test(a_chart_is_the_same_every_time_and_stays_in_its_box),
      cmocka_unit_test(the_needle_sits_at_the_value_on_the_scale),
      cmocka_unit_test(a_lower_egfr_sits_further_right),
      cmocka_unit_test(zones_differ_in_grey_and_the_referral_zone_is_hatched),
      cmocka_unit_test(labels_are_japanese_text_with_ruby),
      cmocka_unit_test(an_empty_value_leaves_its_row_out),
      cmocka_unit_test(a_value_that_is_not_a_number_is_an_error_that_does_not_show_it),
      cmocka_unit_test(full_width_digits_are_numbers),
      cmocka_unit_test(unknown_kinds_and_value_names_are_refused),
      cmocka_unit_test(visits_show_each_year_and_leave_out_untreated_conditions),
      cmocka_unit_test(blocks_limited_to_an_arm_show_only_in_its_letters),
      cmocka_unit_test(an_unknown_arm_is_reported_with_a_suggestion),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
