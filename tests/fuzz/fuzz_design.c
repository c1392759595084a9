/* fuzz_design.c — fuzz target: the YAML design loader.
 *
 * The input is a design file.  It goes through tg_design_load_text() (YAML
 * tree, schema getters, style inheritance, block checks), every diagnostic is
 * formatted, and a design that loads has all its templates compiled with no
 * list known (as `tegami check DESIGN` does).  Corpus: tests/fuzz/design/.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("fuzz.yaml", (const char *)data, size, d);
  if (ds) {
    tg_values *v = tg_values_new();
    tg_values_set(v, "sender.name", "見本市 保険年金課");
    tg_merge *m = tg_merge_new(ds, NULL, 0, v, d);
    tg_merge_free(m);
    tg_values_free(v);
    tg_design_free(ds);
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  return 0;
}
