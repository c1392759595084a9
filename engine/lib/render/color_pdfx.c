/* color_pdfx.c — what a print PDF declares: output intent and PDF/X-4.
 *
 * The output intent (catalog /OutputIntents, /S /GTS_PDFX) embeds the CMYK
 * profile as DestOutputProfile with OutputConditionIdentifier "Custom" and
 * the profile's description as /Info: the vendor's RIP then knows the
 * printing condition the RGB parts and images are meant for.  Every print
 * PDF declares it (letters, labels, mailing lists); proofs and charts do
 * not.  The transparency group of every page blends in DeviceCMYK (Cairo
 * says DeviceRGB), so that a RIP flattening a page never takes the K-only
 * black through RGB.
 *
 * With `pdfx: x-4` (ISO 15930-7) the file also gets: GTS_PDFXVersion
 * "PDF/X-4", Trapped False and a Title in the document information; the
 * same in an XMP metadata stream (pdfxid, dc:title, xmp dates, xmpMM ids
 * derived from the file's title, date and page count, so deterministic);
 * a TrimBox on every page (the MediaBox when there is no bleed); DefaultRGB
 * = sRGB (ICCBased, Little CMS's built-in profile with its date zeroed) in
 * the resources of every page and form, making the remaining RGB (images,
 * colours when not converted) device-independent; and PDF 1.6 (pdf.c).
 */
#include "render/render_private.h"

#include <lcms2.h>
#include <string.h>

static qpdf_oh new_stream(qpdf_data q, const unsigned char *data, size_t len) {
  qpdf_oh s = qpdf_oh_new_stream(q);
  qpdf_oh none = qpdf_oh_new_null(q);
  qpdf_oh_replace_stream_data(q, s, data, len, none, none);
  qpdf_oh_release(q, none);
  return s;
}

/* An ICCBased colour space [/ICCBased stream] for an in-memory profile. */
static qpdf_oh icc_space(qpdf_data q, const unsigned char *icc, size_t len, int n) {
  qpdf_oh s = new_stream(q, icc, len);
  qpdf_oh dict = qpdf_oh_get_dict(q, s);
  qpdf_oh_replace_key(q, dict, "/N", qpdf_oh_new_integer(q, n));
  qpdf_oh arr = qpdf_oh_parse(q, "[/ICCBased]");
  qpdf_oh_append_item(q, arr, s);
  return arr;
}

/* sRGB from Little CMS, its creation date zeroed: the same bytes every run. */
static qpdf_oh srgb_space(qpdf_data q) {
  cmsHPROFILE p = cmsCreate_sRGBProfile();
  cmsUInt32Number n = 0;
  qpdf_oh r = qpdf_oh_new_null(q);
  if (p && cmsSaveProfileToMem(p, NULL, &n) && n > 36) {
    unsigned char *buf = g_malloc(n);
    if (cmsSaveProfileToMem(p, buf, &n)) {
      memset(buf + 24, 0, 12); /* dateTimeNumber */
      r = icc_space(q, buf, n, 3);
    }
    g_free(buf);
  }
  if (p) cmsCloseProfile(p);
  return r;
}

static void add_default_rgb(qpdf_data q, qpdf_oh resources, qpdf_oh space) {
  if (!qpdf_oh_is_dictionary(q, resources)) return;
  qpdf_oh cs = qpdf_oh_get_key(q, resources, "/ColorSpace");
  if (!qpdf_oh_is_dictionary(q, cs)) {
    cs = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, resources, "/ColorSpace", cs);
  }
  qpdf_oh_replace_key(q, cs, "/DefaultRGB", space);
}

/* "D:YYYYMMDDHHmmSS…" → "YYYY-MM-DDTHH:mm:SSZ" (tegami's dates are UTC). */
static char *xmp_date(const char *pdf) {
  if (pdf && strncmp(pdf, "D:", 2) == 0) pdf += 2; /* Cairo 1.16 leaves the D: out */
  if (!pdf || strlen(pdf) < 14) return g_strdup("2000-01-01T00:00:00Z");
  const char *s = pdf;
  return g_strdup_printf("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6, s + 8, s + 10, s + 12);
}

static qpdf_oh xmp_stream(qpdf_data q, const char *title, const char *created, int pages) {
  char *date = xmp_date(created);
  char *seed = g_strdup_printf("%s|%s|%d", title, date, pages);
  char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, seed, -1);
  char *uuid = g_strdup_printf("uuid:%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
  char *t = g_markup_escape_text(title, -1);
  char *xml = g_strconcat("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                          "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                          " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                          "  <rdf:Description rdf:about=\"\"\n"
                          "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                          "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                          "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                          "    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n"
                          "    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">\n"
                          "   <dc:format>application/pdf</dc:format>\n"
                          "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
                          t, "</rdf:li></rdf:Alt></dc:title>\n   <xmp:CreateDate>", date,
                          "</xmp:CreateDate>\n   <xmp:ModifyDate>", date,
                          "</xmp:ModifyDate>\n   <xmp:MetadataDate>", date,
                          "</xmp:MetadataDate>\n"
                          "   <xmp:CreatorTool>tegami " TG_VERSION "</xmp:CreatorTool>\n"
                          "   <pdf:Trapped>False</pdf:Trapped>\n"
                          "   <xmpMM:DocumentID>",
                          uuid, "</xmpMM:DocumentID>\n   <xmpMM:InstanceID>", uuid,
                          "</xmpMM:InstanceID>\n"
                          "   <xmpMM:VersionID>1</xmpMM:VersionID>\n"
                          "   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n"
                          "   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n"
                          "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>",
                          NULL);
  qpdf_oh s = new_stream(q, (const unsigned char *)xml, strlen(xml));
  qpdf_oh dict = qpdf_oh_get_dict(q, s);
  qpdf_oh_replace_key(q, dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
  qpdf_oh_replace_key(q, dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
  g_free(xml), g_free(t), g_free(uuid), g_free(h), g_free(seed), g_free(date);
  return s;
}

static void pdfx_identify(render_color *c) {
  qpdf_data q = c->q;
  qpdf_oh trailer = qpdf_get_trailer(q);
  qpdf_oh info = qpdf_oh_get_key(q, trailer, "/Info");
  if (!qpdf_oh_is_dictionary(q, info)) {
    info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    qpdf_oh_replace_key(q, trailer, "/Info", info);
  }
  /* text strings as UTF-8 (Cairo writes the title in UTF-16) */
  qpdf_oh title = qpdf_oh_get_key(q, info, "/Title");
  char *t = g_strdup(qpdf_oh_is_string(q, title) ? qpdf_oh_get_utf8_value(q, title) : "");
  if (!*t) {
    g_free(t);
    t = g_strdup("tegami");
    qpdf_set_info_key(q, "/Title", t);
  }
  qpdf_oh created = qpdf_oh_get_key(q, info, "/CreationDate");
  char *date = g_strdup(qpdf_oh_is_string(q, created) ? qpdf_oh_get_utf8_value(q, created) : "");
  if (strlen(date) >= 14 && g_ascii_isdigit(date[0])) { /* the same dates as the XMP, with D: */
    char *full = g_strdup_printf("D:%.14sZ", date);
    qpdf_set_info_key(q, "/CreationDate", full);
    qpdf_set_info_key(q, "/ModDate", full);
    g_free(full);
  }
  qpdf_set_info_key(q, "/GTS_PDFXVersion", "PDF/X-4");
  qpdf_oh_replace_key(q, info, "/Trapped", qpdf_oh_new_name(q, "/False"));
  qpdf_oh x = xmp_stream(q, t, date, qpdf_get_num_pages(q));
  qpdf_oh_replace_key(q, qpdf_get_root(q), "/Metadata", x);
  g_free(date);
  g_free(t);
}

/* Every page: blend in CMYK, and for PDF/X a TrimBox and DefaultRGB. */
static void pdfx_pages(render_color *c, bool pdfx, qpdf_oh default_rgb) {
  qpdf_data q = c->q;
  int n = qpdf_get_num_pages(q);
  for (int i = 0; i < n; i++) {
    qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
    qpdf_oh group = qpdf_oh_get_key(q, page, "/Group");
    if (qpdf_oh_is_dictionary(q, group) && qpdf_oh_has_key(q, group, "/CS"))
      qpdf_oh_replace_key(q, group, "/CS", qpdf_oh_new_name(q, "/DeviceCMYK"));
    if (pdfx) {
      if (!qpdf_oh_has_key(q, page, "/TrimBox"))
        qpdf_oh_replace_key(q, page, "/TrimBox", qpdf_oh_get_key(q, page, "/MediaBox"));
      add_default_rgb(q, qpdf_oh_get_key(q, page, "/Resources"), default_rgb);
    }
  }
  if (!pdfx) return;
  qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
  int last = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;
  for (int id = 1; id < last; id++) {
    qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
    if (qpdf_oh_is_stream(q, o)) {
      qpdf_oh dict = qpdf_oh_get_dict(q, o);
      if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Subtype"), "/Form"))
        add_default_rgb(q, qpdf_oh_get_key(q, dict, "/Resources"), default_rgb);
    }
    qpdf_oh_release(q, o);
  }
}

bool render_color_declare(render_color *c, const tg_pdf_print *opt, tg_diag *d) {
  (void)d;
  if (!c->icc) return true;
  qpdf_data q = c->q;
  qpdf_oh oi = qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFX "
                                "/OutputConditionIdentifier (Custom) "
                                "/RegistryName (http://www.color.org) >>");
  qpdf_oh_replace_key(q, oi, "/Info", qpdf_oh_new_string(q, c->icc_name));
  qpdf_oh_replace_key(q, oi, "/OutputCondition", qpdf_oh_new_string(q, c->icc_name));
  qpdf_oh profile = new_stream(q, c->icc, c->icc_len);
  qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, profile), "/N", qpdf_oh_new_integer(q, 4));
  qpdf_oh_replace_key(q, oi, "/DestOutputProfile", profile);
  qpdf_oh intents = qpdf_oh_new_array(q);
  qpdf_oh_append_item(q, intents, qpdf_make_indirect_object(q, oi));
  qpdf_oh_replace_key(q, qpdf_get_root(q), "/OutputIntents", intents);
  bool pdfx = opt && opt->pdfx == TG_PDFX_4;
  qpdf_oh default_rgb = pdfx ? srgb_space(q) : qpdf_oh_new_null(q);
  pdfx_pages(c, pdfx, default_rgb);
  if (pdfx) pdfx_identify(c);
  return true;
}
