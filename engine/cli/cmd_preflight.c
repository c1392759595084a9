/* cmd_preflight.c — `tegami preflight FILE.pdf …`: what a print vendor would
 * reject (page sizes and boxes, fonts not embedded, missing-character glyphs,
 * rich black) and what to know (image resolution, encryption, colour spaces,
 * Type 3 fonts, the output intent), one line per file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool parse_size(const char *s, double *w_pt, double *h_pt) {
  if (strcmp(s, "A4") == 0) return *w_pt = 595.2756, *h_pt = 841.8898, true;
  if (strcmp(s, "A5") == 0) return *w_pt = 419.5276, *h_pt = 595.2756, true;
  if (strcmp(s, "B5") == 0) return *w_pt = 515.9055, *h_pt = 728.5039, true;
  double w, h;
  char tail;
  if (sscanf(s, "%lfx%lfmm%c", &w, &h, &tail) == 2 && w > 10 && h > 10 && w < 2000 && h < 2000)
    return *w_pt = w * 72 / 25.4, *h_pt = h * 72 / 25.4, true;
  return false;
}

/* The colour part of the ok line: spaces, black, Type 3 fonts, output
 * intent, page boxes. */
static void print_color(const tg_preflight_report *r) {
  static const char *const SPACES[] = {"DeviceGray", "DeviceRGB", "DeviceCMYK",
                                       "ICCBased",   "spot",      "Indexed",
                                       "CIE",        "Pattern",   "DeviceRGB images"};
  printf("%s", _("; colours:"));
  for (size_t i = 0; i < sizeof SPACES / sizeof *SPACES; i++)
    if (r->color_spaces & (1u << i)) printf(" %s", SPACES[i]);
  if (!r->color_spaces) printf("%s", _(" none"));
  printf("%s", _(", no rich black"));
  if (r->type3_fonts)
    printf(_(", %zu Type 3 font%s"), r->type3_fonts, r->type3_fonts > 1 ? "s" : "");
  if (r->output_intent)
    printf(_(", output intent (%s)%s"),
           r->intent_components == 4   ? "CMYK"
           : r->intent_components == 3 ? "RGB"
                                       : _("no profile"),
           r->pdfx ? ", PDF/X" : "");
  else
    printf("%s", _(", no output intent"));
  printf(_(", TrimBox on %zu of %zu pages"), r->trim_boxes, r->pages);
}

int cmd_preflight(int argc, char **argv) {
  tg_preflight_options po = {0};
  int first_file = -1;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
      if (!parse_size(argv[++i], &po.page_w_pt, &po.page_h_pt))
        return cli_usage_error("--size takes A4, A5, B5 or WIDTHxHEIGHTmm, not '%s'", argv[i]);
    } else if (strcmp(argv[i], "--min-ppi") == 0 && i + 1 < argc) {
      po.min_image_ppi = strtod(argv[++i], NULL);
    } else if (strcmp(argv[i], "--password-env") == 0 && i + 1 < argc) {
      po.password = getenv(argv[++i]);
    } else if (argv[i][0] == '-') {
      return cli_usage_error("unknown option '%s'", argv[i]);
    } else if (first_file < 0) {
      first_file = i;
    }
  }
  if (first_file < 0) return cli_usage_error("preflight needs at least one PDF file");
  int worst = TG_EXIT_OK;
  for (int i = first_file; i < argc; i++) {
    if (argv[i][0] == '-') {
      i += strcmp(argv[i], "--size") == 0 || strcmp(argv[i], "--min-ppi") == 0 ||
           strcmp(argv[i], "--password-env") == 0;
      continue;
    }
    tg_diag *d = tg_diag_new();
    tg_preflight_report r;
    int code = tg_preflight(argv[i], &po, &r, d);
    cli_print_diags(d);
    tg_diag_free(d);
    if (code == TG_EXIT_OK) {
      printf(_("%s: ok — %zu pages of %.0f x %.0f mm, %zu fonts all embedded, no missing glyphs"),
             argv[i], r.pages, r.page_w_pt * 25.4 / 72, r.page_h_pt * 25.4 / 72, r.fonts);
      if (r.images) printf(_(", %zu images (lowest %.0f ppi)"), r.images, r.min_image_ppi);
      print_color(&r);
      printf("\n");
    }
    if (code > worst) worst = code;
  }
  return worst;
}
