/* tegami/qa.h — quality checks outside a run: a design on its own, proofs
 * for sample personas, and finished PDFs as a print vendor sees them.
 *
 *   - tg_check_design(): `tegami check DESIGN.yaml`, without data;
 *   - tg_proof(): `tegami proof`, every variant × segment × arm of a design
 *     drawn for the synthetic personas of a personas file, side by side;
 *   - tg_preflight(): `tegami preflight`, page sizes, fonts, missing glyphs
 *     and image resolution of any PDF.
 */
#ifndef TEGAMI_QA_H
#define TEGAMI_QA_H

#include <stdio.h>

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a design on its own ------------------------------------------------------- */

/* Check a design on its own, without data: schema, templates (placeholders
 * are accepted unchecked), fonts of every style, the static layout, and the
 * easy-Japanese checks of its easy variants (warnings). */
tg_exit tg_check_design(const char *path, const char *fontset, tg_diag *d);
/* The same, and against the columns of a list:
 *   profile  a KDB list profile (kdb-highrisk, kdb-dropout): every column the
 *            design names must be one of the profile's (values of the job,
 *            municipality.* and sender.*, stay unchecked) and the segments
 *            of its type must take every row (tg_merge_check_coverage);
 *   list     a list file: its header (read with `profile` if given) instead
 *            of the profile's columns; only the header is read.
 * Without either, the segments of every type that is a profile's
 * (highrisk, dropout) are still proven to take every row. */
typedef struct tg_check_options {
  const char *fontset; /* NULL: <data>/fonts/fontset.txt */
  const char *profile; /* NULL: none */
  const char *list;    /* NULL: none */
} tg_check_options;
tg_exit tg_check_design_full(const char *path, const tg_check_options *opt, tg_diag *d);

/* ---- proofs: every variant × segment × arm of a design, for sample personas ----
 *
 * `tegami proof DESIGN.yaml --personas FILE -o DIR` (proof.c).  A personas
 * file (kind: personas) holds a letter date, a municipality profile (id,
 * name, sender:, values: — as in a job) and synthetic rows per list type:
 *
 *   personas:
 *     highrisk:
 *       - id: g3b-woman-66        (names the files; lower-case, digits, '-')
 *         note: eGFR 38.5, 66歳     (shown on the page)
 *         row: {氏名: 見本　八重, eGFR: "38.5", …}
 *
 * Every persona of the list types the design has segments for (or
 * `type`) is merged and laid out in every variant and every arm; its row
 * decides its segment as in a run.  Writes DIR/pages/<type>-<persona>-
 * <variant>[-<arm>].pdf and -NNNN.png, and DIR/index.html: the letters side
 * by side, the text differences between arms and between variants marked,
 * which persona reaches which segment; self-contained (no server, no
 * network).  A segment no persona reaches is a warning (proof.uncovered). */
typedef struct tg_proof_options {
  const char *personas; /* the personas file */
  const char *out_dir;
  bool force;             /* replace proofs already in out_dir */
  bool pdf, png;          /* write PDFs / PNGs (index.html needs the PNGs) */
  double dpi;             /* PNG resolution (0: 100) */
  const char *type;       /* only the personas of this list type (NULL: the design's types) */
  const char *persona;    /* only this persona (NULL: all) */
  const char *fontset;    /* NULL: <data dir>/fonts/fontset.txt */
  FILE *trace;            /* also trace every letter here (NULL: none) */
  unsigned watch_version; /* > 0 (proof --watch): index.html reloads itself when
                           * DIR/watch.js announces a newer version */
} tg_proof_options;

typedef struct tg_proof_summary {
  size_t personas, letters, pages;
  size_t uncovered_segments; /* segments of the proofed types that no persona reaches */
} tg_proof_summary;

/* False (reported) when the design, the personas file or a persona's letter
 * is wrong, or an output cannot be written. */
bool tg_proof(const char *design_path, const tg_proof_options *opt, tg_proof_summary *sum,
              tg_diag *d);

/* ---- proof --watch (watch.c) ----
 *
 * A stamp of everything a proof reads: the design's folder (includes,
 * images, envelopes), the personas file and the fontset, by size and
 * modification time; it changes when one of them is saved.  The output
 * folder, hidden files and editors' swap files are not part of it. */
uint64_t tg_proof_inputs_stamp(const char *design_path, const tg_proof_options *opt);
/* Write DIR/watch.js — version, whether the proof succeeded, and the
 * messages of `messages` as the CLI prints them (with their carets) — which
 * the gallery page polls; and, when DIR has no index.html yet, a page that
 * waits for the first good proof.  False (reported in err) when a file
 * cannot be written. */
bool tg_proof_watch_publish(const tg_proof_options *opt, unsigned version, bool ok,
                            const tg_diag *messages, tg_diag *err);

/* ---- preflight ------------------------------------------------------------------ */

typedef struct tg_preflight_options {
  double page_w_pt, page_h_pt; /* expected trim size; 0: all pages the same */
  double min_image_ppi;        /* default 300 */
  const char *password;        /* for encrypted PDFs, or NULL */
} tg_preflight_options;

typedef struct tg_preflight_report {
  size_t pages, bad_page_sizes;
  double page_w_pt, page_h_pt; /* of the first page */
  size_t fonts, fonts_embedded;
  size_t notdef_glyphs; /* glyphs drawn as .notdef (missing characters) */
  size_t images;
  double min_image_ppi;  /* 0: no image */
  unsigned color_spaces; /* TG_CS_* bits: every colour space set or used by an image */
  size_t rich_black;     /* text or strokes in rich black (RGB black, CMYK black with C/M/Y) */
  size_t type3_fonts;    /* fonts whose glyphs are PDF procedures */
  bool output_intent;    /* /OutputIntents in the catalog */
  int intent_components; /* of its DestOutputProfile: 4 for CMYK, 0 if none */
  bool pdfx;             /* GTS_PDFXVersion in the document information */
  size_t trim_boxes, bleed_boxes; /* pages with a TrimBox, with a BleedBox */
} tg_preflight_report;

enum {
  TG_CS_GRAY = 1 << 0,
  TG_CS_RGB = 1 << 1,
  TG_CS_CMYK = 1 << 2,
  TG_CS_ICC = 1 << 3,
  TG_CS_SPOT = 1 << 4, /* Separation, DeviceN */
  TG_CS_INDEXED = 1 << 5,
  TG_CS_CIE = 1 << 6, /* Lab, CalRGB, CalGray */
  TG_CS_PATTERN = 1 << 7,
  TG_CS_IMAGE_RGB = 1 << 8, /* DeviceRGB images */
};

/* Check a PDF as a print vendor would: page sizes and boxes, embedded fonts,
 * .notdef glyphs, image resolution, colour spaces, rich black in text and
 * thin strokes, Type 3 fonts, the output intent.  Errors (exit 3) are what a
 * vendor would reject. */
tg_exit tg_preflight(const char *pdf_path, const tg_preflight_options *opt,
                     tg_preflight_report *report, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
