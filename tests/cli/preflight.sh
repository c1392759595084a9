#!/bin/sh
# tegami preflight checks a PDF as a print vendor would: our letters pass;
# a PDF that draws .notdef (a missing-character box), uses a font that is
# not embedded, has a page of the wrong size or a low-resolution image is
# reported, with exit 3 for what a vendor would reject.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out"
expect_exit 0 "$TEGAMI" preflight --size A4 "$WORK"/out/*.pdf
grep -q 'ok — .* fonts all embedded, no missing glyphs' "$WORK/last.out" || fail "no ok line"
grep -q 'no rich black' "$WORK/last.out" || fail "our letters are not free of rich black"
pass "the sample letters pass preflight"

python3 - "$WORK" <<'PY'
import sys, zlib
w = sys.argv[1]
def pdf(path, content, font, media=(595.28, 841.89)):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>" % media,
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            font]
    out = b"%PDF-1.4\n"; offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out)); out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(path, "wb").write(out)
helv = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
pdf(w + "/unembedded.bad.pdf", b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", helv)
pdf(w + "/letter-size.bad.pdf", b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET", helv, (612, 792))
# rules in rich black: CMYK black with C/M/Y, and Cairo's RGB black
pdf(w + "/cmyk-rich-black.bad.pdf", b"0.6 0.5 0.5 1 K 2 w 72 72 m 300 72 l S", helv)
pdf(w + "/rgb-black.bad.pdf", b"0 0 0 RG 72 72 m 300 72 l S 0 G 72 80 m 300 80 l S", helv)
pdf(w + "/k-only.pdf", b"0 0 0 1 K 72 72 m 300 72 l S 0 G 72 80 m 300 80 l S", helv)
PY
expect_exit 3 "$TEGAMI" preflight "$WORK/cmyk-rich-black.bad.pdf"
grep -q 'page 1 draws a line in rich black (C60 M50 Y50 K100): black must be K only \[preflight.rich-black\]' \
  "$WORK/last.err" || fail "CMYK rich black is not reported"
expect_exit 3 "$TEGAMI" preflight "$WORK/rgb-black.bad.pdf"
grep -q 'page 1 draws a line in RGB black or grey (0 0 0 rg).*\[preflight.rich-black\]' "$WORK/last.err" \
  || fail "RGB black is not reported"
expect_exit 0 "$TEGAMI" preflight "$WORK/k-only.pdf"
grep -q 'colours: DeviceGray DeviceCMYK, no rich black, no output intent, TrimBox on 0 of 1 pages' \
  "$WORK/last.out" || fail "colour summary: $(cat "$WORK/last.out")"
grep -q 'declares no output intent.*\[preflight.no-output-intent\]' "$WORK/last.err" \
  || fail "the missing output intent is not noted"
pass "rich black in lines (CMYK with C/M/Y, RGB black) is rejected; K-only black passes"
expect_exit 3 "$TEGAMI" preflight "$WORK/unembedded.bad.pdf"
grep -q 'font Helvetica, which is not embedded \[preflight.font-not-embedded\]' "$WORK/last.err" || fail "the unembedded font is not reported"
expect_exit 3 "$TEGAMI" preflight --size A4 "$WORK/letter-size.bad.pdf"
grep -q 'page 1 is 215.9 x 279.4 mm; expected 210.0 x 297.0 mm \[preflight.page-size\]' "$WORK/last.err" \
  || fail "the wrong page size is not reported"
pass "unembedded fonts and wrong page sizes are rejected"

# .notdef: a Cairo PDF drawing glyph 0 of an embedded font
cat >"$WORK/notdef.c" <<'C'
#include <cairo.h>
#include <cairo-pdf.h>
int main(int argc, char **argv) {
  cairo_surface_t *s = cairo_pdf_surface_create(argv[1], 595.28, 841.89);
  cairo_t *cr = cairo_create(s);
  cairo_set_font_size(cr, 12);
  cairo_glyph_t g[2] = {{0, 100, 100}, {36, 110, 100}};
  cairo_show_glyphs(cr, g, 2);
  /* a 40 x 40 pixel image on 100 mm: about 10 ppi */
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 40);
  cairo_scale(cr, 283.46 / 40, 283.46 / 40);
  cairo_set_source_surface(cr, img, 2, 2);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_destroy(img);
  cairo_surface_destroy(s);
  return 0;
}
C
if cc "$WORK/notdef.c" -o "$WORK/notdef" $(pkg-config --cflags --libs cairo) 2>/dev/null; then
  "$WORK/notdef" "$WORK/notdef.bad.pdf"
  expect_exit 3 "$TEGAMI" preflight "$WORK/notdef.bad.pdf"
  grep -q 'draws the .notdef glyph' "$WORK/last.err" || fail ".notdef is not reported"
  grep -q 'places an image at [0-9]* ppi (below 300 ppi)' "$WORK/last.err" || fail "the low-resolution image is not reported"
  pass ".notdef glyphs are rejected; low-resolution images are reported"
else
  echo "skip: no C compiler for the .notdef sample"
fi
