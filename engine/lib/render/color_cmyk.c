/* color_cmyk.c — the CMYK output profile and RGB → CMYK through Little CMS 2.
 *
 * With `output: {color: cmyk}` every RGB colour operator that is not a grey
 * (greys become K only in color.c, never through the profile) is converted
 * from sRGB to the CMYK output profile — relative colorimetric with black
 * point compensation — and written as `c m y k k`/`K`.  Each distinct colour
 * is converted once per file (a small cache).  Images are not converted:
 * they stay RGB, declared by the output intent (and for PDF/X-4 by
 * DefaultRGB = sRGB), and the RIP converts them with the same profile.
 *
 * The profile is Ghostscript's CMYK profile as Debian ships it
 * (TG_CMYK_PROFILE, "Artifex CMYK SWOP Profile") unless the job names
 * another (`icc-profile:`, e.g. the vendor's Japan Color 2001 Coated).  Its
 * bytes are also what the output intent embeds.
 */
#include "render/render_private.h"

#include <lcms2.h>
#include <string.h>

#define MAX_PROFILE_BYTES (16 * 1024 * 1024)

bool render_color_start(render_color *c, const tg_pdf_print *opt, tg_diag *d) {
  if (!opt || !(opt->cmyk || opt->output_intent || opt->pdfx)) return true;
  const char *path = opt->icc_profile ? opt->icc_profile : TG_CMYK_PROFILE;
  gchar *data = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &data, &len, &err)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.icc-profile",
                "cannot read the CMYK output profile %s: %s", path, err->message);
    g_error_free(err);
    return false;
  }
  cmsHPROFILE prof =
      len <= MAX_PROFILE_BYTES ? cmsOpenProfileFromMem(data, (cmsUInt32Number)len) : NULL;
  if (!prof || cmsGetColorSpace(prof) != cmsSigCmykData ||
      cmsGetDeviceClass(prof) != cmsSigOutputClass) {
    tg_diag_add(d, TG_ERROR, TG_KIND_DATA, "render.icc-profile",
                "%s is not a CMYK output (printer) ICC profile", path);
    if (prof) cmsCloseProfile(prof);
    g_free(data);
    return false;
  }
  char desc[256] = "";
  cmsGetProfileInfoASCII(prof, cmsInfoDescription, "en", "US", desc, sizeof desc);
  c->icc = (unsigned char *)data;
  c->icc_len = len;
  c->icc_name = g_strdup(desc[0] ? desc : "CMYK output profile");
  if (opt->cmyk) {
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    c->transform =
        cmsCreateTransform(srgb, TYPE_RGB_DBL, prof, TYPE_CMYK_DBL, INTENT_RELATIVE_COLORIMETRIC,
                           cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_NOCACHE);
    cmsCloseProfile(srgb);
    c->cmyk = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  }
  cmsCloseProfile(prof);
  if (opt->cmyk && !c->transform) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "render.icc-profile",
                "Little CMS cannot convert sRGB to the profile %s", path);
    return false;
  }
  return true;
}

/* A number in [0, 1] with at most four decimals and no trailing zeros. */
static void put_unit(GString *out, double v) {
  if (v < 0) v = 0;
  if (v > 1) v = 1;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(buf, sizeof buf, "%.4f", v);
  size_t n = strlen(buf);
  while (n > 1 && buf[n - 1] == '0')
    n--;
  if (buf[n - 1] == '.') n--;
  g_string_append_len(out, buf, (gssize)n);
}

bool render_color_convert(render_color *c, const double rgb[3], bool stroke, GString *out) {
  if (!c->transform) return false;
  char key[3 * G_ASCII_DTOSTR_BUF_SIZE];
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf(key, sizeof key, "%s %s %s", g_ascii_dtostr(a, sizeof a, rgb[0]),
             g_ascii_dtostr(b, sizeof b, rgb[1]), g_ascii_dtostr(e, sizeof e, rgb[2]));
  const char *cmyk = g_hash_table_lookup(c->cmyk, key);
  if (!cmyk) {
    double in[3], v[4];
    for (int i = 0; i < 3; i++)
      in[i] = rgb[i] < 0 ? 0 : rgb[i] > 1 ? 1 : rgb[i];
    cmsDoTransform(c->transform, in, v, 1);
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 4; i++) {
      if (i) g_string_append_c(s, ' ');
      put_unit(s, v[i] / 100.0); /* Little CMS gives CMYK in percent */
    }
    cmyk = s->str;
    g_hash_table_insert(c->cmyk, g_strdup(key), g_string_free(s, FALSE));
  }
  g_string_append(out, cmyk);
  g_string_append(out, stroke ? " K" : " k");
  c->converted++;
  return true;
}

void render_color_clear(render_color *c) {
  if (c->done) g_hash_table_destroy(c->done);
  if (c->cmyk) g_hash_table_destroy(c->cmyk);
  if (c->transform) cmsDeleteTransform(c->transform);
  g_free(c->icc);
  g_free(c->icc_name);
  memset(c, 0, sizeof *c);
}
