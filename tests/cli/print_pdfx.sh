#!/bin/sh
# Colour for print (issue 17): a default run declares its CMYK output intent
# and passes preflight cleanly; `color: cmyk` converts the colours to
# DeviceCMYK (Little CMS) and keeps black K only; `pdfx: x-4` writes the
# OutputIntent with its ICC profile, GTS_PDFXVersion, Trapped, XMP metadata,
# a TrimBox on every page and PDF 1.6 — deterministic, qpdf --check clean,
# readable by Ghostscript; PDF/X with encryption or X-1a is refused.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
job() { # NAME OUTPUT-LINE
  sed "s#design: ../layouts/#design: $TEGAMI_SRC/layouts/#; s#file: targets/#file: $TEGAMI_SRC/samples/targets/#" \
    samples/job.yaml >"$WORK/$1.yaml"
  printf '%s\n' "$2" >>"$WORK/$1.yaml"
}
letter=14999_highrisk_standard_001.pdf

expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/default"
expect_exit 0 "$TEGAMI" preflight --size A4 "$WORK"/default/*.pdf
[ ! -s "$WORK/last.err" ] || { cat "$WORK/last.err" >&2; fail "preflight of a default run is not clean"; }
grep -q 'no rich black, 1 Type 3 font, output intent (CMYK), TrimBox' "$WORK/last.out" \
  || fail "default run: $(head -1 "$WORK/last.out")"
pass "default run: RGB colours with a CMYK output intent, preflight clean"

job cmyk 'output: {color: cmyk}'
expect_exit 0 "$TEGAMI" run "$WORK/cmyk.yaml" -o "$WORK/cmyk"
qpdf --qdf --object-streams=disable "$WORK/cmyk/$letter" "$WORK/cmyk.qdf"
python3 tests/tools/pdf_colors.py "$WORK/cmyk.qdf" >"$WORK/colors" || fail "RGB grey left: $(cat "$WORK/colors")"
grep -q 'rgb-operators 0 cmyk-operators [1-9]' "$WORK/colors" || fail "color: cmyk left RGB: $(cat "$WORK/colors")"
expect_exit 0 "$TEGAMI" preflight "$WORK/cmyk/$letter"
grep -q 'colours: DeviceGray DeviceCMYK, no rich black' "$WORK/last.out" || fail "cmyk: $(cat "$WORK/last.out")"
if command -v gs >/dev/null; then
  gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=tiffsep -sCompression=none -r100 -dFirstPage=1 \
    -dLastPage=1 -sOutputFile="$WORK/sep.tif" "$WORK/cmyk/$letter" || fail "gs tiffsep"
  set -- $(python3 tests/tools/plates.py "$WORK/sep")
  [ "$2" -gt 5000 ] && [ "$4" -eq 0 ] || fail "cmyk separation: $*"
fi
pass "color: cmyk — colours in DeviceCMYK, black still K only"

job x4 'output: {pdfx: x-4, color: cmyk}'
expect_exit 0 "$TEGAMI" run "$WORK/x4.yaml" -o "$WORK/x4"
expect_exit 0 "$TEGAMI" run "$WORK/x4.yaml" -o "$WORK/x4b"
pdf="$WORK/x4/$letter"
cmp -s "$pdf" "$WORK/x4b/$letter" || fail "PDF/X output differs between two runs"
qpdf --check "$pdf" >/dev/null || fail "qpdf --check fails"
qpdf --qdf --object-streams=disable "$pdf" "$WORK/x4.qdf"
grep -a -q '/OutputIntents' "$WORK/x4.qdf" || fail "no OutputIntents"
grep -a -q '/S /GTS_PDFX' "$WORK/x4.qdf" || fail "the output intent is not GTS_PDFX"
grep -a -q '/DestOutputProfile [0-9]* 0 R' "$WORK/x4.qdf" || fail "no DestOutputProfile"
grep -a -q '/GTS_PDFXVersion (PDF/X-4)' "$WORK/x4.qdf" || fail "no GTS_PDFXVersion"
grep -a -q '/Trapped /False' "$WORK/x4.qdf" || fail "no Trapped"
grep -a -q '<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>' "$WORK/x4.qdf" || fail "no XMP"
grep -a -q '/DefaultRGB' "$WORK/x4.qdf" || fail "no DefaultRGB"
pdfinfo "$pdf" | grep -q '^PDF version: *1.6$' || fail "not PDF 1.6"
expect_exit 0 "$TEGAMI" preflight --size A4 "$pdf"
grep -q 'output intent (CMYK), PDF/X, TrimBox on 4 of 4 pages' "$WORK/last.out" || fail "x-4: $(cat "$WORK/last.out")"
if command -v gs >/dev/null; then
  gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=nullpage "$pdf" >"$WORK/gs.out" 2>&1 || fail "gs cannot render"
  [ ! -s "$WORK/gs.out" ] || { cat "$WORK/gs.out" >&2; fail "gs warns about the PDF/X file"; }
fi
pass "pdfx: x-4 — OutputIntent with profile, identification, XMP, TrimBox, deterministic"

job x1a 'output: {pdfx: x-1a}'
expect_exit 3 "$TEGAMI" check "$WORK/x1a.yaml"
grep -q 'x-4' "$WORK/last.err" || fail "x-1a is not refused with the choices"
printf 'secret\n' >"$WORK/pw"
job xenc "output: {pdfx: x-4, encrypt: {password-file: $WORK/pw}}"
expect_exit 3 "$TEGAMI" check "$WORK/xenc.yaml"
grep -q 'job.pdfx-encrypt' "$WORK/last.err" || fail "PDF/X with encryption is not refused"
pass "x-1a and PDF/X with encryption are refused"
