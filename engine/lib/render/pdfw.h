/* render/pdfw.h — tegami's own PDF writer for letter batches (issue 17).
 *
 * Cairo's PDF backend, zlib run twice and printf were three quarters of the
 * time of a letter batch (docs/performance.md).  The letters' display list
 * is small — glyph runs, boxes, lines, QR symbols, PNG images, customer
 * barcodes — so the batch PDFs are written here directly: every stream is
 * deflated once, numbers are formatted without printf, black is DeviceGray
 * from the start (no colour rewrite), and objects go into object streams
 * with a cross-reference stream (no libqpdf pass).  Cairo still draws the
 * PNG proofs and the PDFs that need what only it does (SVG images, CMYK
 * conversion, PDF/X): docs/architecture.md, "Writing the letters' PDF".
 *
 * Three parts:
 *  - pdfw.c: objects, streams, object streams, the cross-reference and the
 *    trailer, into memory;
 *  - pdfw_font.c: the fonts used, subset with HarfBuzz and embedded as CID
 *    fonts (Type 0, CIDFontType2, Identity-H) with a ToUnicode map;
 *  - pdf_own.c: the sink — pages, static layers as form XObjects, content
 *    streams from display-list items.
 */
#ifndef TG_RENDER_PDFW_H
#define TG_RENDER_PDFW_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "tegami/diag.h"
#include "tegami/layout.h"

/* ---- objects (pdfw.c) ---------------------------------------------------------- */

typedef struct pdfw pdfw;

/* compact: non-stream objects go into object streams and the
 * cross-reference is a stream (PDF 1.5); else a classic xref table. */
pdfw *pdfw_new(bool compact);
void pdfw_free(pdfw *w);
/* A new object number (from 1, in order). */
uint32_t pdfw_reserve(pdfw *w);
/* A non-stream object numbered `num`: its text (a dictionary, an array, …)
 * without "num 0 obj" and "endobj".  Copied. */
void pdfw_object(pdfw *w, uint32_t num, const char *text, size_t len);
/* A stream object: `dict` holds the dictionary's entries without << >>,
 * /Length and /Filter (may be ""); the data is deflated when `deflate`. */
void pdfw_stream(pdfw *w, uint32_t num, const char *dict, const void *data, size_t len,
                 bool deflate);
/* The same with data deflated already (zlib format), e.g. a cached profile. */
void pdfw_stream_deflated(pdfw *w, uint32_t num, const char *dict, const void *z, size_t zlen);
/* Deflate data into out (replaced): zlib format, the writer's level. */
void pdfw_deflate(pdfw *w, const void *data, size_t len, GByteArray *out);
/* The whole file: header, objects, cross-reference, trailer with /Root
 * root, /Info info and a deterministic /ID (a hash of the bytes).  The
 * bytes are the caller's (g_byte_array_free); the writer is spent. */
GByteArray *pdfw_finish(pdfw *w, uint32_t root, uint32_t info);

/* ---- numbers and strings, without printf --------------------------------------- */

/* v with at most 3 decimals, no trailing zeros, "-0" as "0". */
void pdfw_put_num(GString *s, double v);
void pdfw_put_int(GString *s, int64_t v);
/* "num 0 R". */
void pdfw_put_ref(GString *s, uint32_t num);
/* v as four hex digits (a glyph id, a UTF-16 code unit). */
void pdfw_put_hex4(GString *s, unsigned v);
/* UTF-8 text as UTF-16BE hex digits, surrogate pairs for astral characters;
 * bytes that are not UTF-8 are skipped, and then the answer is false. */
bool pdfw_put_utf16_hex(GString *s, const char *utf8, size_t len);
/* A PDF text string for UTF-8 text: <FEFF…> (UTF-16BE, hex). */
void pdfw_put_text_string(GString *s, const char *utf8, size_t len);

/* ---- fonts (pdfw_font.c) ------------------------------------------------------- */

typedef struct pdfw_fonts pdfw_fonts;
typedef struct pdfw_font pdfw_font;

pdfw_fonts *pdfw_fonts_new(void);
void pdfw_fonts_free(pdfw_fonts *fs);
/* The font for `face`, added on first use: its resource name is
 * "/F<index>" and its object (the Type 0 font) is reserved in w then. */
pdfw_font *pdfw_fonts_get(pdfw_fonts *fs, pdfw *w, const tg_face *face);
unsigned pdfw_font_get_index(const pdfw_font *f);
uint32_t pdfw_font_get_object(const pdfw_font *f);
/* Glyph gid (of the face) is drawn for the characters text[0, len) (the
 * cluster's text; len 0: none, e.g. the second glyph of a cluster).  The
 * first text noted for a glyph goes into ToUnicode; false if the glyph has
 * already been noted with other text (the caller marks the run's text with
 * ActualText instead). */
bool pdfw_font_use_glyph(pdfw_font *f, uint32_t gid, const char *text, size_t len);
/* The glyph's advance in thousandths of an em (as written in /W). */
double pdfw_font_advance(const pdfw_font *f, uint32_t gid);
/* Subset and write every font used: Type 0 → CIDFontType2 (CIDs are the
 * face's glyph ids; CIDToGIDMap to the subset's), FontDescriptor with
 * FontFile2, /W and ToUnicode.  Deterministic (the subset tag is a hash of
 * the glyphs).  False with a diagnostic if HarfBuzz cannot subset a face. */
bool pdfw_fonts_write(pdfw_fonts *fs, pdfw *w, tg_diag *d);

#endif
