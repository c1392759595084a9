/* color_cmyk.c — RGB colours to CMYK through Little CMS 2, for `output:
 * {color: cmyk}`. */
#include "render/render_private.h"

bool render_color_convert(render_color *c, const double rgb[3], bool stroke, GString *out) {
  (void)rgb, (void)stroke, (void)out;
  if (!c->transform) return false;
  return false;
}
