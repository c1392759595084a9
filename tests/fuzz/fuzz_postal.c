/* fuzz_postal.c — fuzz target: the KEN_ALL reader, its notes, and the postal
 * code of an address (engine/lib/postal/postal.c, notes.c, fold.c, derive.c).
 *
 * A postal dictionary is a file the job names (the official nationwide
 * KEN_ALL.CSV, a damaged download, the wrong file) and the address is a
 * list's 住所 column: both are hostile input.  Input layout:
 *
 *   byte 0    bits 0-1: encoding (auto, utf-8, cp932, auto); bit 2: give the
 *             hint of line 2
 *   line 1    the address to derive
 *   line 2    the hint: prefecture, a tab, city (either may be empty)
 *   the rest  the dictionary (KEN_ALL format, any bytes)
 *
 * Checks beyond "no crash, no sanitizer report, no hang":
 *   - decided ⇒ one candidate, 7 digits, a code of the dictionary, the town's
 *     end inside the address; ambiguous ⇒ two or more distinct candidates in
 *     code order, each a code of the dictionary; not found ⇒ none;
 *   - the same address derives to the same result twice;
 *   - the dictionary's own entries derive without error when written back as
 *     prefecture + city + town + 1番地 (each code found is in the dictionary).
 * Corpus: tests/fuzz/postal/.
 */
#include "fuzz.h"

#include <string.h>

#include <glib.h>

static void fail(const char *what, const tg_postal_result *r) {
  fprintf(stderr, "postal invariant broken: %s (outcome %d, code '%s', %zu candidates)\n", what,
          (int)r->outcome, r->code, r->ncandidates);
  abort();
}

static bool is_code(const tg_postal *p, const char *c) {
  size_t n;
  if (strlen(c) != 7) return false;
  for (int i = 0; i < 7; i++)
    if (!g_ascii_isdigit(c[i])) return false;
  return tg_postal_lookup(p, c, &n) != NULL;
}

static void check(const tg_postal *p, const char *address, size_t len, const tg_postal_hint *hint) {
  tg_postal_result r, again;
  tg_postal_derive(p, address, len, hint, &r);
  tg_postal_derive(p, address, len, hint, &again);
  if (memcmp(&r, &again, sizeof r) != 0) fail("not deterministic", &r);
  switch (r.outcome) {
  case TG_POSTAL_DECIDED:
    if (r.ncandidates != 1 || !is_code(p, r.code) || strcmp(r.code, r.candidates[0]) != 0)
      fail("a decided code", &r);
    if (r.town_end > len) fail("the town ends outside the address", &r);
    break;
  case TG_POSTAL_AMBIGUOUS:
    if (r.ncandidates < 2 || r.code[0]) fail("an ambiguous result", &r);
    for (size_t i = 0; i < r.ncandidates && i < TG_POSTAL_MAX_CANDIDATES; i++) {
      if (!is_code(p, r.candidates[i])) fail("a candidate not in the dictionary", &r);
      if (i && strcmp(r.candidates[i - 1], r.candidates[i]) >= 0)
        fail("candidates out of order", &r);
    }
    break;
  case TG_POSTAL_NOT_FOUND:
    if (r.ncandidates || r.code[0]) fail("a code not found", &r);
    if (r.default_code[0] && !is_code(p, r.default_code)) fail("a default code", &r);
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static fuzz_memfile mf;
  uint8_t flags = data[0];
  const char *s = (const char *)data + 1, *end = (const char *)data + size;
  const char *nl1 = memchr(s, '\n', (size_t)(end - s));
  if (!nl1) return 0;
  const char *nl2 = memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1));
  if (!nl2) return 0;
  char *address = g_strndup(s, (gsize)(nl1 - s));
  char *hint_line = g_strndup(nl1 + 1, (gsize)(nl2 - nl1 - 1));
  char *tab = strchr(hint_line, '\t');
  if (tab) *tab = '\0';
  tg_postal_hint hint = {hint_line, tab ? tab + 1 : NULL};
  const char *path = fuzz_memfile_put(&mf, (const uint8_t *)nl2 + 1, (size_t)(end - nl2 - 1));
  static const tg_encoding ENC[4] = {TG_ENC_AUTO, TG_ENC_UTF8, TG_ENC_CP932, TG_ENC_AUTO};
  tg_diag *d = tg_diag_new();
  tg_diag_set_repeat_limit(d, 4);
  tg_postal *p = tg_postal_load(path, ENC[flags & 3], d);
  if (p) {
    check(p, address, strlen(address), (flags & 4) ? &hint : NULL);
    /* every entry written back as an address */
    GString *a = g_string_new(NULL);
    for (size_t i = 0; i < tg_postal_get_entry_count(p) && i < 200; i++) {
      const tg_postal_entry *e = tg_postal_get_entry(p, i);
      g_string_printf(a, "%s%s%s1番地", e->prefecture, e->city, e->town);
      check(p, a->str, a->len, NULL);
    }
    g_string_free(a, TRUE);
    tg_postal_free(p);
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  g_free(address);
  g_free(hint_line);
  return 0;
}
