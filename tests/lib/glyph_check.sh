# tests/lib/glyph_check.sh — sourced by the shell tests and the bad-input
# runner: the check every PDF a test writes must pass.
#
# pdf_glyphs_ok TEGAMI PDF ERRFILE: false (with tegami's report in ERRFILE)
# when PDF draws a missing glyph (.notdef) or uses a font that is not
# embedded.  PDFs preflight cannot read (encrypted, deliberately damaged)
# and its other findings are left to the test that made them.
pdf_glyphs_ok() {
  if "$1" preflight "$2" >/dev/null 2>"$3"; then return 0; fi
  ! grep -q 'preflight.notdef\|preflight.font-not-embedded' "$3"
}
