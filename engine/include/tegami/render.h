/* tegami/render.h — sinks that draw placed pages: PDF, PNG and trace.
 *
 * A sink receives pages (tg_page from the layout stage) one at a time, in
 * order, with tg_sink_begin_letter() before each letter's first page.
 *
 *  - PDF: print output through Cairo.  A static layer is recorded the first
 *    time it is seen and replayed on every page, so the PDF holds it once as
 *    a shared form object.  Fonts are embedded as subsets; metadata dates come
 *    from the options, never from the clock, so the bytes are reproducible.
 *  - PNG: one image per page at a chosen resolution, for proofs.
 *  - trace: every placed item as a stable line of text (positions in mm, two
 *    decimals), for golden tests that show layout changes as readable diffs.
 *
 * tg_sink_close() finishes the output and may fail (Cairo errors are sticky:
 * the surface status is checked at the end); tg_sink_free() only releases.
 */
#ifndef TEGAMI_RENDER_H
#define TEGAMI_RENDER_H

#include <stdio.h>

#include "tegami/diag.h"
#include "tegami/layout.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_sink tg_sink;

/* Where a finished PDF goes instead of its file: `pdf` (len bytes) is the
 * whole document, `path` names it (for the file to write, and messages). */
typedef bool (*tg_pdf_write_fn)(const uint8_t *pdf, size_t len, const char *path, void *data,
                                tg_diag *d);
/* Colour for print (issue 17, docs/vendor-handoff.md).  Black and greys are
 * always rewritten as DeviceGray (K only); these choose what happens to the
 * other colours and what the file declares. */
typedef enum { TG_PDFX_NONE, TG_PDFX_4 } tg_pdfx;
typedef struct tg_pdf_print {
  bool cmyk;               /* colours to DeviceCMYK through the profile (Little CMS 2) */
  bool output_intent;      /* declare the profile as the output intent (implied by pdfx) */
  tg_pdfx pdfx;            /* PDF/X-4: identification, XMP, TrimBox, DefaultRGB, PDF 1.6 */
  const char *icc_profile; /* the CMYK output profile; NULL: TG_CMYK_PROFILE */
} tg_pdf_print;

/* Debian's Ghostscript CMYK profile (package libgs-common): Artifex's SWOP. */
#define TG_CMYK_PROFILE "/usr/share/color/icc/ghostscript/default_cmyk.icc"

typedef struct tg_pdf_options {
  const char *title;
  const char *subject;
  const char *date; /* "YYYY-MM-DDThh:mm:ss" for CreationDate/ModDate; NULL: none */
  /* Print production: each page is set on a larger sheet with `bleed_pt`
   * of bleed around the trim (filled boxes that touch a trim edge run on
   * into it), and Japanese corner and centre crop marks (トンボ) outside
   * it; the PDF gets TrimBox and BleedBox. */
  double bleed_pt;
  bool crop_marks;
  /* Rewrite the finished file with object streams (libqpdf): about a fifth
   * smaller, byte-for-byte deterministic. */
  bool compact;
  /* The PDF is built in memory and written once, finished: NULL, to `path`
   * (0600, a temporary renamed); else given to write_out (with
   * write_out_data), e.g. to encrypt it before it touches the disk. */
  tg_pdf_write_fn write_out;
  void *write_out_data;
  tg_pdf_print print;
  /* Write it with tegami's own PDF writer (render/pdfw.h): several times
   * faster than Cairo's, for pages of glyphs, boxes, lines, QR codes,
   * barcodes and PNG images.  Cairo writes it anyway for PDF/X, and an SVG
   * image met on a page is an error: leave this off for designs with SVG. */
  bool own_writer;
} tg_pdf_options;

/* The date for tg_pdf_options.date (ISO 8601, at least 20 bytes):
 * SOURCE_DATE_EPOCH when set, else `day` (YYYY-MM-DD) at midnight — never
 * the clock, so the same inputs give the same bytes. */
void tg_pdf_date(const char *day, char *date, size_t n);

/* Write a PDF to `path` when it is closed (see tg_pdf_options.write_out). */
tg_sink *tg_sink_pdf_new(const char *path, const tg_pdf_options *opt, tg_diag *d);
/* Write one PNG per page into `dir`, named <prefix>-<page number>.png. */
tg_sink *tg_sink_png_new(const char *dir, const char *prefix, double dpi, tg_diag *d);
/* Write a trace to `out` (borrowed, not closed). */
tg_sink *tg_sink_trace_new(FILE *out);

typedef struct tg_letter_info {
  uint64_t seq; /* position in its batch, from 1 */
  const char *id;
  const char *list; /* list file */
  uint64_t row;
  const char *variant; /* NULL when the design has a single variant */
  const char *segment; /* NULL when the design has no segments */
  const char *arm;     /* the experiment arm, or NULL */
} tg_letter_info;

void tg_sink_begin_letter(tg_sink *s, const tg_letter_info *info);
bool tg_sink_page(tg_sink *s, const tg_page *page, tg_diag *d);
bool tg_sink_close(tg_sink *s, tg_diag *d);
void tg_sink_free(tg_sink *s);
uint64_t tg_sink_get_page_count(const tg_sink *s);

#ifdef __cplusplus
}
#endif
#endif
