/* test_cp932.c — reading Windows-31J (CP932) lists: the decoding table
 * (checked against glibc iconv over the whole double-byte space), encoding
 * detection, and 外字 and invalid bytes reported by row, column and code. */
#include "tg_test.h"

#include "targets/targets_private.h"

static uint32_t dec(const char *bytes, size_t n, int *used) {
  uint32_t cp = 0;
  *used = tg_cp932_decode((const unsigned char *)bytes, n, &cp);
  return cp;
}

static void nec_and_ibm_extensions_and_the_microsoft_mappings_decode(void **state) {
  int n;
  assert_int_equal(dec("\x87\x40", 2, &n), 0x2460); /* ① NEC row 13 */
  assert_int_equal(n, 2);
  assert_int_equal(dec("\x87\x8A", 2, &n), 0x3231); /* ㈱ */
  assert_int_equal(dec("\x87\x54", 2, &n), 0x2160); /* Ⅰ */
  assert_int_equal(dec("\x87\x7E", 2, &n), 0x337B); /* ㍻ */
  assert_int_equal(dec("\xFB\xFC", 2, &n), 0x9AD9); /* 髙, IBM extension */
  assert_int_equal(dec("\xEE\xE0", 2, &n), 0x9AD9); /* 髙, NEC-selected IBM extension */
  assert_int_equal(dec("\xFA\xB1", 2, &n), 0xFA11); /* 﨑 */
  assert_int_equal(dec("\xED\x95", 2, &n), 0xFA11);
  assert_int_equal(dec("\x81\x5F", 2, &n), 0xFF3C); /* ＼, not U+005C */
  assert_int_equal(dec("\x81\x60", 2, &n), 0xFF5E); /* ～, not U+301C */
  assert_int_equal(dec("\x81\x7C", 2, &n), 0xFF0D); /* －, not U+2212 */
  assert_int_equal(dec("\x81\x61", 2, &n), 0x2225); /* ∥ */
  assert_int_equal(dec("\x81\xCA", 2, &n), 0xFFE2); /* ￢ */
  assert_int_equal(dec("\x82\xA0", 2, &n), 0x3042); /* あ */
  assert_int_equal(dec("\xB1", 1, &n), 0xFF71);     /* ｱ */
  assert_int_equal(n, 1);
  assert_int_equal(dec("\x5C", 1, &n), 0x5C);
  assert_int_equal(dec("\x7E", 1, &n), 0x7E);
}

static void the_user_defined_area_maps_to_the_private_use_area(void **state) {
  int n;
  assert_int_equal(dec("\xF0\x40", 2, &n), 0xE000);
  assert_int_equal(dec("\xF0\x80", 2, &n), 0xE03F);
  assert_int_equal(dec("\xF9\xFC", 2, &n), 0xE757);
  /* and back, for messages about UTF-8 lists */
  for (uint32_t cp = 0xE000; cp <= 0xE757; cp++) {
    unsigned sj = tg_cp932_from_pua(cp);
    char b[2] = {(char)(sj >> 8), (char)(sj & 0xFF)};
    assert_int_equal(dec(b, 2, &n), cp);
  }
}

static void bytes_that_are_not_characters_are_refused(void **state) {
  int n;
  dec("\x80", 1, &n);
  assert_int_equal(n, 0);
  dec("\xA0", 1, &n);
  assert_int_equal(n, 0);
  dec("\xFD", 1, &n);
  assert_int_equal(n, 0);
  dec("\xFF", 1, &n);
  assert_int_equal(n, 0);
  dec("\x81\x20", 2, &n); /* lead byte without a trail byte */
  assert_int_equal(n, 0);
  dec("\x81", 1, &n); /* cut */
  assert_int_equal(n, 0);
  dec("\x85\x40", 2, &n); /* unassigned row */
  assert_int_equal(n, 0);
}

/* The reason a table of our own is safe: it is exactly glibc's CP932. */
static void the_table_agrees_with_glibc_iconv_on_every_code(void **state) {
  GIConv cd = g_iconv_open("UTF-32LE", "CP932");
  if (cd == (GIConv)-1) skip();
  size_t compared = 0, valid = 0;
  for (unsigned lead = 0x00; lead <= 0xFF; lead++) {
    for (unsigned trail = 0x40; trail <= 0xFC; trail++) {
      bool single = tg_cp932_lead_index((unsigned char)lead) < 0;
      char in[2] = {(char)lead, (char)trail};
      size_t inlen = single ? 1 : 2;
      unsigned char out[8];
      gchar *ip = in, *op = (gchar *)out;
      gsize il = inlen, ol = sizeof out;
      g_iconv(cd, NULL, NULL, NULL, NULL);
      gsize r = g_iconv(cd, &ip, &il, &op, &ol);
      bool iconv_ok = r != (gsize)-1 && il == 0 && ol == 4;
      uint32_t want = out[0] | out[1] << 8 | out[2] << 16 | (uint32_t)out[3] << 24;
      uint32_t got = 0;
      int used = tg_cp932_decode((const unsigned char *)in, inlen, &got);
      if (iconv_ok != (used == (int)inlen) || (iconv_ok && want != got))
        fail_msg("CP932 %02X%02X: iconv %s U+%04X, table %d U+%04X", lead, single ? 0 : trail,
                 iconv_ok ? "ok" : "refuses", want, used, got);
      compared++;
      valid += iconv_ok && !single;
      if (single) break;
    }
  }
  g_iconv_close(cd);
  assert_int_equal(valid, tg_cp932_dbcs_count);
  assert_true(compared > 11000);
}

/* ---- the reader -------------------------------------------------------------- */

static char *write_list(const char *name, const char *bytes, size_t n) {
  return tg_test_write_temp(name, bytes, n);
}

#define HDR_CP932                                                                                  \
  "KDB\x8C\xC2\x90\x6C\x94\xD4\x8D\x86,\x8E\x81\x96\xBC\r\n" /* KDB個人番号,氏名             \
                                                              */

static void a_cp932_list_is_detected_and_decoded(void **state) {
  const char text[] = HDR_CP932 "1,\xFB\xFC\x8B\xB4\x81\x40\x91\xBE\x98\x59\r\n" /* 髙橋　太郎 */
                                "2,\xB1\xB2\xB3\r\n";                            /* ｱｲｳ */
  char *path = write_list("list.csv", text, sizeof text - 1);
  tg_diag *d = tg_diag_new();
  tg_targets *t = tg_targets_open(path, NULL, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_encoding(t), TG_ENC_CP932);
  assert_string_equal(tg_targets_get_column_name(t, 0), "KDB個人番号");
  assert_string_equal(tg_targets_get_column_name(t, 1), "氏名");
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_false(r.rejected);
  assert_string_equal(r.fields[1], "髙橋　太郎");
  assert_int_equal(r.lengths[1], strlen("髙橋　太郎"));
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_string_equal(r.fields[1], "ｱｲｳ");
  assert_string_equal(r.fields[0], "2");
  assert_int_equal(tg_targets_next(t, &r, d), 0);
  assert_int_equal(tg_diag_count(d), 0);
  tg_targets_free(t);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_user_defined_character_is_reported_with_its_code_and_the_row_rejected(void **state) {
  const char text[] = HDR_CP932 "1,\x8E\x52\xF0\x40\r\n"  /* 山 + 外字 F040 */
                                "2,\x8E\x52\x93\x63\r\n"; /* 山田 */
  char *path = write_list("list.csv", text, sizeof text - 1);
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.encoding = TG_ENC_CP932};
  tg_targets *t = tg_targets_open(path, &o, d);
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.gaiji");
  assert_string_equal(r.reject_column, "氏名");
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_int_equal(e->row, 2);
  assert_string_equal(e->column, "氏名");
  assert_non_null(strstr(e->message, "user-defined character F040 (外字)"));
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_false(r.rejected);
  assert_string_equal(r.fields[1], "山田");
  tg_targets_free(t);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_private_use_character_in_a_utf8_list_is_reported_too(void **state) {
  const char *text = "KDB個人番号,氏名\n1,\xEE\x80\x80田\n2,\xF3\xB0\x80\x80\n";
  char *path = write_list("list.csv", text, strlen(text));
  tg_diag *d = tg_diag_new();
  tg_targets *t = tg_targets_open(path, NULL, d);
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.gaiji");
  assert_non_null(strstr(tg_diag_get(d, 0)->message, "U+E000 (外字, CP932 F040)"));
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_true(r.rejected);
  assert_non_null(strstr(tg_diag_get(d, 1)->message, "U+F0000 (外字)"));
  tg_targets_free(t);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void an_invalid_cp932_byte_is_named_and_the_row_rejected(void **state) {
  const char text[] = HDR_CP932 "1,\x8E\x52\x81\x20\r\n2,\x80\r\n3,ok\r\n";
  char *path = write_list("list.csv", text, sizeof text - 1);
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.encoding = TG_ENC_CP932};
  tg_targets *t = tg_targets_open(path, &o, d);
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.encoding");
  assert_string_equal(tg_diag_get(d, 0)->message,
                      "invalid CP932 byte sequence 0x81 0x20 at byte 3 of the field");
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_true(r.rejected);
  assert_string_equal(tg_diag_get(d, 1)->message, "invalid CP932 byte 0x80 at byte 1 of the field");
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_false(r.rejected);
  tg_targets_free(t);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void an_ascii_start_defers_detection_to_the_first_row_that_is_not(void **state) {
  GString *s = g_string_new("id,name\r\n");
  for (int i = 0; i < 20000; i++)
    g_string_append_printf(s, "%d,abcdefghijklmnop\r\n", i);
  g_string_append(s, "x,\x8E\x52\x93\x63\r\n"); /* 山田 in CP932, beyond the first 256 KiB */
  assert_true(s->len > 256 * 1024);
  char *path = write_list("list.csv", s->str, s->len);
  tg_diag *d = tg_diag_new();
  tg_targets *t = tg_targets_open(path, NULL, d);
  tg_row r;
  int n = 0;
  char *last = NULL;
  while (tg_targets_next(t, &r, d) == 1) {
    n++;
    assert_false(r.rejected);
    g_free(last);
    last = g_strdup(r.fields[1]);
  }
  assert_int_equal(n, 20001);
  assert_string_equal(last, "山田");
  g_free(last);
  assert_int_equal(tg_targets_get_encoding(t), TG_ENC_CP932);
  tg_targets_free(t);
  tg_diag_free(d);
  g_string_free(s, TRUE);
  tg_test_remove_temp(path);
}

static void utf16_files_are_refused_with_a_way_out(void **state) {
  const char text[] = "\xFF\xFEK\0D\0B\0";
  char *path = write_list("list.csv", text, sizeof text - 1);
  tg_diag *d = tg_diag_new();
  assert_null(tg_targets_open(path, NULL, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "targets.encoding");
  assert_non_null(tg_diag_get(d, 0)->hint);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void encoding_names_are_parsed(void **state) {
  tg_encoding e;
  assert_true(tg_encoding_parse("Shift_JIS", &e));
  assert_int_equal(e, TG_ENC_CP932);
  assert_true(tg_encoding_parse("windows-31j", &e));
  assert_int_equal(e, TG_ENC_CP932);
  assert_true(tg_encoding_parse("UTF-8", &e));
  assert_int_equal(e, TG_ENC_UTF8);
  assert_false(tg_encoding_parse("latin1", &e));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nec_and_ibm_extensions_and_the_microsoft_mappings_decode),
      cmocka_unit_test(the_user_defined_area_maps_to_the_private_use_area),
      cmocka_unit_test(bytes_that_are_not_characters_are_refused),
      cmocka_unit_test(the_table_agrees_with_glibc_iconv_on_every_code),
      cmocka_unit_test(a_cp932_list_is_detected_and_decoded),
      cmocka_unit_test(a_user_defined_character_is_reported_with_its_code_and_the_row_rejected),
      cmocka_unit_test(a_private_use_character_in_a_utf8_list_is_reported_too),
      cmocka_unit_test(an_invalid_cp932_byte_is_named_and_the_row_rejected),
      cmocka_unit_test(an_ascii_start_defers_detection_to_the_first_row_that_is_not),
      cmocka_unit_test(utf16_files_are_refused_with_a_way_out),
      cmocka_unit_test(encoding_names_are_parsed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
