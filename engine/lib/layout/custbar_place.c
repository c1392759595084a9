/* custbar_place.c — the Japan Post customer barcode on a letter.
 *
 * The encoder (custbar.c) turns a postal code and an address into the 67
 * bars; it needs the town names (町域) of the postal code to find where the
 * address number starts, and those come from the postal dictionary of the
 * targets stage.  This file joins the two and places the bars as one
 * TG_ITEM_BARS item — vector rectangles, never an image.  A letter whose
 * address cannot have a barcode (a representative postal code 〜0000, a town
 * that is not in the address, a malformed postal code) still goes out: the
 * omission is reported (note or warning, naming the row, never the address)
 * and counted.
 */
#include "layout/layout_private.h"

#include <string.h>

#include "tegami/targets.h"

#define MAX_TOWNS 64

void layout_place_custbar(const layout_env *env, tg_arena *arena, GArray *items, const char *block,
                          const char *postal, const char *address, double size_pt, double x_pt,
                          double y_pt, const char *file, uint64_t row, tg_diag *d, uint32_t *drawn,
                          uint32_t *omitted, double *height_pt) {
  *height_pt = 0;
  char code[8] = "";
  tg_postal_code_normalize(postal, strlen(postal), code);
  const char *towns[MAX_TOWNS];
  size_t ntowns = 0;
  if (env->postal && code[0]) {
    size_t n = 0;
    const tg_postal_entry *const *e = tg_postal_lookup(env->postal, code, &n);
    for (size_t i = 0; i < n && ntowns < MAX_TOWNS; i++)
      towns[ntowns++] = e[i]->is_default ? "以下に掲載がない場合" : e[i]->town;
  }
  tg_custbar bc;
  tg_custbar_encode(&bc, code[0] ? code : postal, address, towns, ntowns);
  tg_custbar_geom g;
  if (bc.status != TG_CUSTBAR_OK || !tg_custbar_geometry(&bc, size_pt, 0, &g, d)) {
    if (file) tg_custbar_report(&bc, d, file, row, "住所");
    (*omitted)++;
    return;
  }
  if (file) tg_custbar_report(&bc, d, file, row, "住所"); /* kanji-numeral warnings */
  tg_item it = {
      .type = TG_ITEM_BARS, .block = block, .x_pt = x_pt, .y_pt = y_pt, .color = 0x000000FF};
  tg_custbar_rect *bars = tg_arena_alloc(arena, sizeof g.bars);
  memcpy(bars, g.bars, sizeof g.bars);
  it.u.bars.bars = bars;
  it.u.bars.nbars = TG_CUSTBAR_BARS;
  it.u.bars.data = tg_arena_strndup(arena, bc.data, strlen(bc.data));
  g_strlcpy(it.u.bars.check_digit, tg_custbar_symbol_name(bc.check_digit),
            sizeof it.u.bars.check_digit);
  it.u.bars.pattern = tg_arena_strndup(arena, bc.bars, strlen(bc.bars));
  it.u.bars.size_pt = size_pt;
  it.u.bars.w_pt = g.width_pt;
  it.u.bars.h_pt = g.height_pt;
  g_array_append_val(items, it);
  (*drawn)++;
  *height_pt = g.height_pt;
}
