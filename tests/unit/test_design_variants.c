/* test_design_variants.c — variants, segments, named blocks and includes:
 * how a design expands into masked block copies, how a row gets its variant
 * and segment, and how static layers are shared between selections. */
#include "layout/layout_private.h"
#include "tg_test.h"

#include <math.h>

static const char *const DESIGN =
    "kind: design\n"
    "variants: [standard, easy]\n"
    "segments:\n"
    "  highrisk:\n"
    "    - name: severe\n"
    "      when: eGFR < 45\n"
    "      priority: 1\n"
    "    - name: young\n"
    "      when: 年齢 in 40..64\n"
    "      priority: 2\n"
    "    - name: other\n"
    "      when: otherwise\n"
    "  dropout:\n"
    "    - name: lapsed\n"
    "      when: 受診 == \"なし\"\n"
    "styles:\n"
    "  body:\n"
    "    size: {standard: 11pt, easy: 13pt}\n"
    "blocks:\n"
    "  footer:\n"
    "    type: text\n"
    "    x: 20mm\n"
    "    y: 280mm\n"
    "    width: 170mm\n"
    "    text: \"{{page.number}} / {{page.count}}\"\n"
    "pages:\n"
    "  - blocks:\n"
    "      - type: box\n" /* 0: one copy */
    "        x: 10mm\n        y: 10mm\n        width: 10mm\n        height: 10mm\n"
    "      - type: text\n" /* 1: per variant (style) */
    "        x: 20mm\n        y: 20mm\n        width: 100mm\n"
    "        text: ご案内\n"
    "      - type: text\n" /* 2: per segment of highrisk */
    "        x: 20mm\n        y: 40mm\n        width: 100mm\n"
    "        variants: [standard]\n"
    "        text: {severe: すぐに, young: 今こそ, other: いつまでも}\n"
    "      - use: footer\n" /* 3: named block, one key overridden */
    "        y: 285mm\n"
    "  - blocks:\n"
    "      - use: footer\n";

static const char *const COLS[] = {"氏名", "eGFR", "年齢"};

static tg_design *load(tg_diag *d) {
  return tg_design_load_text("t.yaml", DESIGN, strlen(DESIGN), d);
}

static void blocks_that_differ_are_copied_with_masks(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds = load(d);
  if (!ds) fail_msg("%s", tg_test_diag_text(d));
  assert_int_equal(ds->nvariants, 2);
  assert_int_equal(ds->nsegments, 4);
  const tg_design_page *p = &ds->pages[0];
  /* box ×1, text per variant ×2, text per highrisk segment ×3, footer ×1 (per variant ×2) */
  assert_int_equal(p->nblocks, 1 + 2 + 3 + 2);
  assert_int_equal(p->blocks[0].variants, 0x3);
  assert_int_equal(p->blocks[1].variants, 0x1);
  assert_int_equal(p->blocks[2].variants, 0x2);
  assert_true(p->blocks[1].style->size_pt == 11.0);
  assert_true(p->blocks[2].style->size_pt == 13.0);
  assert_int_equal(p->blocks[3].segments, 0x1);
  assert_string_equal(p->blocks[3].u.text.text.text, "すぐに");
  assert_int_equal(p->blocks[4].segments, 0x2);
  assert_int_equal(p->blocks[5].segments, 0x4);
  assert_int_equal(p->blocks[5].variants, 0x1);
  /* the named block keeps its keys but the override wins */
  assert_string_equal(p->blocks[6].name, "footer");
  assert_true(fabs(p->blocks[6].y_pt - 285 * 72 / 25.4) < 1e-9);
  assert_true(fabs(ds->pages[1].blocks[0].y_pt - 280 * 72 / 25.4) < 1e-9);
  /* every slot points at the text of the final block */
  for (size_t i = 0; i < ds->ntexts; i++)
    assert_int_equal(ds->texts[i]->slot, (int)i);
  assert_ptr_equal(ds->texts[p->blocks[3].u.text.text.slot], &p->blocks[3].u.text.text);
  assert_int_equal(tg_design_segment_mask(ds, "highrisk"), 0x7);
  assert_int_equal(tg_design_segment_mask(ds, "dropout"), 0x8);
  assert_int_equal(tg_design_segment_mask(ds, "other"), 0);
  tg_design_free(ds);
  tg_diag_free(d);
}

static tg_row row_of(const char **f, size_t *len) {
  for (int i = 0; i < 3; i++)
    len[i] = strlen(f[i]);
  return (tg_row){.number = 2, .nfields = 3, .fields = f, .lengths = len};
}

static void a_row_gets_one_segment_by_rule_priority_or_otherwise(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds = load(d);
  tg_values *v = tg_values_new();
  tg_values_set(v, "list.type", "highrisk");
  /* dropout rules name a column this list lacks: they are not compiled */
  tg_merge *m = tg_merge_new(ds, COLS, 3, v, d);
  if (!m) fail_msg("%s", tg_test_diag_text(d));
  struct {
    const char *egfr, *age;
    int segment;
  } cases[] = {{"40", "50", 0}, {"50", "50", 1}, {"50", "70", 2}, {"", "", 2}};
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    const char *f[] = {"見本", cases[i].egfr, cases[i].age};
    size_t len[3];
    tg_row row = row_of(f, len);
    int variant, segment;
    assert_true(tg_merge_choose(m, &row, "l.csv", &variant, &segment, d));
    assert_int_equal(variant, 0);
    assert_int_equal(segment, cases[i].segment);
  }
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void static_layers_are_shared_between_selections(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds = load(d);
  tg_values *v = tg_values_new();
  tg_values_set(v, "list.type", "highrisk");
  tg_merge *m = tg_merge_new(ds, COLS, 3, v, d);
  tg_fonts *fonts = tg_test_fonts();
  tg_layout *L = tg_layout_new(ds, m, fonts, 100, d);
  if (!L) fail_msg("%s", tg_test_diag_text(d));
  /* page 1: standard × 3 segments differ; easy × 3 share one layer.
   * page 2: one layer per variant (the footer's style differs). */
  assert_int_equal(tg_layout_get_layer_count(L), 3 + 1 + 2);
  tg_layout_free(L);
  tg_fonts_free(fonts);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

/* A flow's child limited to some segments needs map entries only for them:
 * the copies of the flow for other segments leave it out. */
static void a_flow_child_needs_entries_only_for_its_own_segments(void **state) {
  static const char *const FLOW = "kind: design\n"
                                  "segments:\n"
                                  "  highrisk:\n"
                                  "    - {name: severe, when: eGFR < 45, priority: 1}\n"
                                  "    - {name: mild, when: otherwise}\n"
                                  "pages:\n"
                                  "  - blocks:\n"
                                  "      - type: flow\n"
                                  "        x: 20mm\n        y: 20mm\n        width: 100mm\n"
                                  "        blocks:\n"
                                  "          - type: text\n"
                                  "            text: {severe: すぐに, mild: 今のうちに}\n"
                                  "          - type: text\n"
                                  "            segments: [mild]\n"
                                  "            text: {mild: お仕事の合間にも}\n";
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("t.yaml", FLOW, strlen(FLOW), d);
  if (!ds) fail_msg("%s", tg_test_diag_text(d));
  assert_int_equal(tg_diag_count(d), 0);
  const tg_design_page *p = &ds->pages[0];
  assert_int_equal(p->nblocks, 2);                    /* the flow per segment */
  assert_int_equal(p->blocks[0].u.flow.nchildren, 1); /* severe: the second child left out */
  assert_int_equal(p->blocks[1].u.flow.nchildren, 2);
  assert_string_equal(p->blocks[1].u.flow.children[1].u.text.text.text, "お仕事の合間にも");
  tg_design_free(ds);
  tg_diag_free(d);
}

static void an_include_brings_styles_colours_and_named_blocks(void **state) {
  char *dir = g_dir_make_tmp("tegami-inc-XXXXXX", NULL);
  char *parts = g_build_filename(dir, "parts.yaml", NULL);
  const char *p = "kind: blocks\ncolors:\n  navy: \"#1F4E79\"\nstyles:\n  small:\n    size: 8pt\n"
                  "    color: navy\nblocks:\n  stamp:\n    type: box\n    x: 10mm\n    y: 10mm\n"
                  "    width: 5mm\n    height: 5mm\n    fill: navy\n";
  g_file_set_contents(parts, p, -1, NULL);
  char *name = g_build_filename(dir, "d.yaml", NULL);
  const char *y = "kind: design\ninclude: parts.yaml\npages:\n  - blocks:\n      - use: stamp\n"
                  "      - type: text\n        x: 10mm\n        y: 30mm\n        width: 50mm\n"
                  "        style: small\n        text: 小さく\n";
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text(name, y, strlen(y), d);
  if (!ds) fail_msg("%s", tg_test_diag_text(d));
  assert_int_equal(ds->pages[0].blocks[0].u.box.fill, 0x1F4E79FF);
  assert_int_equal(ds->pages[0].blocks[1].style->color, 0x1F4E79FF);
  assert_true(ds->pages[0].blocks[1].style->size_pt == 8.0);
  tg_design_free(ds);
  tg_diag_free(d);
  g_unlink(parts);
  g_rmdir(dir);
  g_free(parts);
  g_free(name);
  g_free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(blocks_that_differ_are_copied_with_masks),
      cmocka_unit_test(a_row_gets_one_segment_by_rule_priority_or_otherwise),
      cmocka_unit_test(static_layers_are_shared_between_selections),
      cmocka_unit_test(an_include_brings_styles_colours_and_named_blocks),
      cmocka_unit_test(a_flow_child_needs_entries_only_for_its_own_segments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
