/* cmd_barcode.c — `tegami barcode`: the Japan Post customer barcode of one
 * address, for checking by hand what the engine will print.
 *
 * Takes a postal code and either a full address (--address; the town names
 * of the postal code come from the postal dictionary, as in a run, or from
 * --town), 住所B alone (--b), or address data that is already extracted
 * (--data).  Prints the data string as the manual
 * writes it, the 20 symbol characters, the check digit, the 67 bars grouped
 * per character, and the size of the symbol.  Warnings go to stderr.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_size(const tg_custbar_geom *g) {
  const double mm = 25.4 / 72.0;
  const double v[] = {g->width_pt * mm,
                      g->height_pt * mm,
                      (g->width_pt + 2 * g->quiet_pt) * mm,
                      (g->height_pt + 2 * g->quiet_pt) * mm,
                      g->bar_pt * mm,
                      g->pitch_pt * mm,
                      g->long_pt * mm,
                      g->semi_pt * mm,
                      g->timing_pt * mm};
  char s[G_N_ELEMENTS(v)][G_ASCII_DTOSTR_BUF_SIZE];
  for (size_t i = 0; i < G_N_ELEMENTS(v); i++)
    g_ascii_formatd(s[i], sizeof s[i], "%.2f", v[i]);
  char a[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(a, sizeof a, "%g", g->size_pt);
  printf(_("size:         %spt: %s x %s mm; %s x %s mm with the 2 mm quiet zone\n"), a, s[0], s[1],
         s[2], s[3]);
  printf(_("bars (mm):    width %s, pitch %s; long %s, ascender/descender %s, tracker %s\n"), s[4],
         s[5], s[6], s[7], s[8]);
}

static void print_result(const tg_custbar *bc, const char *address_b, const tg_custbar_geom *g) {
  printf(_("postal code:  %s\n"), bc->postal);
  if (address_b) printf(_("address B:    %s\n"), address_b);
  printf(_("address data: %s\n"), bc->extracted);
  printf(_("data:         %s%s\n"), bc->data, bc->truncated ? _("  (cut to 20 positions)") : "");
  printf("%s", _("symbols:     "));
  for (int i = 1; i <= TG_CUSTBAR_DATA_LEN; i++)
    printf(" %s", tg_custbar_symbol_name(bc->symbols[i]));
  printf(_("\ncheck digit:  %s\n"), tg_custbar_symbol_name(bc->check_digit));
  printf("%s", _("bars:        "));
  size_t k = 0;
  for (int i = 0; i < TG_CUSTBAR_SYMBOLS; i++) {
    int n = (i == 0 || i == TG_CUSTBAR_SYMBOLS - 1) ? 2 : 3;
    printf(" %.*s", n, bc->bars + k);
    k += (size_t)n;
  }
  printf("\n");
  print_size(g);
}

/* "10pt" or "10" → 10; false on anything else. */
static bool parse_size(const char *s, double *out) {
  char *end;
  double v = g_ascii_strtod(s, &end);
  if (end == s) return false;
  if (strcmp(end, "pt") != 0 && *end) return false;
  *out = v;
  return true;
}

int cmd_barcode(int argc, char **argv) {
  const char *postal = NULL, *address = NULL, *b = NULL, *data = NULL, *dict = NULL;
  tg_postal *pd = NULL;
  GPtrArray *towns = g_ptr_array_new();
  double size_pt = 10, dpi = 0;
  int code = TG_EXIT_OK;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool known = strcmp(a, "--postal") == 0 || strcmp(a, "--address") == 0 ||
                 strcmp(a, "--town") == 0 || strcmp(a, "--b") == 0 || strcmp(a, "--data") == 0 ||
                 strcmp(a, "--size") == 0 || strcmp(a, "--dpi") == 0 ||
                 strcmp(a, "--postal-dict") == 0;
    if (!known) {
      code = cli_usage_error(
          a[0] == '-' ? N_("unknown option '%s'") : N_("unexpected argument '%s'"), a);
      goto done;
    }
    if (i + 1 >= argc) {
      code = cli_usage_error("%s needs a value", a);
      goto done;
    }
    const char *val = argv[++i];
    if (strcmp(a, "--postal") == 0)
      postal = val;
    else if (strcmp(a, "--address") == 0)
      address = val;
    else if (strcmp(a, "--town") == 0)
      g_ptr_array_add(towns, (gpointer)val);
    else if (strcmp(a, "--b") == 0)
      b = val;
    else if (strcmp(a, "--data") == 0)
      data = val;
    else if (strcmp(a, "--postal-dict") == 0)
      dict = val;
    else if (strcmp(a, "--size") == 0) {
      if (!parse_size(val, &size_pt) || size_pt < 8 || size_pt > 11.5) {
        code = cli_usage_error("--size must be between 8pt and 11.5pt, not '%s'", val);
        goto done;
      }
    } else {
      char *end;
      dpi = g_ascii_strtod(val, &end);
      if (*end || end == val || !(dpi >= TG_CUSTBAR_MIN_DPI && dpi <= TG_CUSTBAR_MAX_DPI)) {
        code = cli_usage_error("--dpi must be a number between %d and %d, not '%s'",
                               TG_CUSTBAR_MIN_DPI, TG_CUSTBAR_MAX_DPI, val);
        goto done;
      }
    }
  }
  if (!postal) {
    code = cli_usage_error("barcode needs --postal");
    goto done;
  }
  if ((address != NULL) + (b != NULL) + (data != NULL) != 1) {
    code = cli_usage_error("barcode needs one of --address (with --town), --b or --data");
    goto done;
  }
  if (address && towns->len == 0) {
    /* the town names of the postal code, from the dictionary a run uses */
    char *path = dict ? g_strdup(dict) : tg_postal_default_path(tg_data_dir());
    tg_diag *ld = tg_diag_new();
    pd = tg_postal_load(path, TG_ENC_AUTO, ld);
    cli_print_diags(ld);
    tg_diag_free(ld);
    g_free(path);
    if (!pd) {
      code = TG_EXIT_INVALID;
      goto done;
    }
    char code7[8] = "";
    size_t n = 0;
    const tg_postal_entry *const *e = tg_postal_code_normalize(postal, strlen(postal), code7)
                                          ? tg_postal_lookup(pd, code7, &n)
                                          : NULL;
    for (size_t i = 0; i < n; i++)
      g_ptr_array_add(towns, (gpointer)(e[i]->is_default ? "以下に掲載がない場合" : e[i]->town));
    if (code7[0] && n == 0) {
      code = cli_usage_error("postal code %s is not in the postal dictionary; give the town "
                             "name (町域) with --town, or 住所B with --b",
                             code7);
      goto done;
    }
  }

  tg_custbar bc;
  const char *const *tv = (const char *const *)towns->pdata;
  if (address)
    tg_custbar_encode(&bc, postal, address, tv, towns->len);
  else if (b)
    tg_custbar_encode_b(&bc, postal, b, tv, towns->len);
  else
    tg_custbar_encode_data(&bc, postal, data);

  switch (bc.status) {
  case TG_CUSTBAR_BAD_POSTAL:
    code = cli_usage_error("--postal must be a 7-digit postal code, not '%s'", postal);
    goto done;
  case TG_CUSTBAR_BAD_DATA:
    code = cli_usage_error("--data may only hold 0-9, A-Z and '-'");
    goto done;
  case TG_CUSTBAR_REPRESENTATIVE:
  case TG_CUSTBAR_TOWN_NOT_FOUND: {
    printf(_("postal code:  %s\nno barcode:   %s\n"), bc.postal,
           _(tg_custbar_status_reason(bc.status)));
    tg_diag *nd = tg_diag_new();
    tg_custbar_report(&bc, nd, NULL, 0, NULL);
    cli_print_diags(nd);
    tg_diag_free(nd);
    /* a 代表番号 is a stated rule; a town missing from the address is a data problem */
    code = bc.status == TG_CUSTBAR_REPRESENTATIVE ? TG_EXIT_OK : TG_EXIT_REJECTED;
    goto done;
  }
  case TG_CUSTBAR_OK: break;
  }
  tg_diag *d = tg_diag_new();
  tg_custbar_geom g;
  if (tg_custbar_geometry(&bc, size_pt, dpi, &g, d)) {
    print_result(&bc, address ? address + bc.b_offset : b, &g);
    tg_custbar_report(&bc, d, NULL, 0, NULL);
  } else {
    code = TG_EXIT_USAGE; /* --dpi too coarse for the tolerances */
  }
  cli_print_diags(d);
  tg_diag_free(d);
done:
  g_ptr_array_free(towns, TRUE);
  tg_postal_free(pd);
  return code;
}
