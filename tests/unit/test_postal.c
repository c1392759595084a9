/* test_postal.c — the postal-code dictionary: Japan Post's KEN_ALL format
 * with its quirks (multi-line 町域, notes in parentheses, 以下に掲載がない場合,
 * 〇〇一円, 〇〇の次に番地がくる場合, 高層ビル floors, the flags of columns
 * 10–13, CP932), the vendored Kanagawa dictionary, the all-Japan file when
 * present, and addresses compared with postal codes.  Deriving a code from an
 * address is test_postal_derive.c. */
#include "tg_test.h"

static char *data_path(const char *name) {
  return g_build_filename(g_getenv("TEGAMI_SRC"), "tests", "data", name, NULL);
}

static tg_postal *load_quirks(void) {
  char *path = data_path("ken_all-quirks.csv");
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  if (!p) {
    char *t = tg_test_diag_text(d);
    fail_msg("%s", t);
  }
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
  g_free(path);
  return p;
}

static const tg_postal_entry *only(const tg_postal *p, const char *code) {
  size_t n;
  const tg_postal_entry *const *e = tg_postal_lookup(p, code, &n);
  assert_int_equal(n, 1);
  return e[0];
}

static void the_official_layout_in_cp932_is_read(void **state) {
  tg_postal *p = load_quirks();
  assert_int_equal(tg_postal_get_entry_count(p), 48); /* 49 lines, one record on two */
  assert_int_equal(tg_postal_get_code_count(p), 47);
  const tg_postal_entry *e = only(p, "2200012");
  assert_string_equal(e->prefecture, "神奈川県");
  assert_string_equal(e->city, "横浜市西区");
  assert_string_equal(e->town, "みなとみらい");
  assert_string_equal(e->town_kana, "ﾐﾅﾄﾐﾗｲ");
  assert_string_equal(e->jis, "14103");
  assert_true(e->has_chome);
  assert_false(e->is_default);
  size_t n;
  assert_null(tg_postal_lookup(p, "2200013", &n));
  assert_int_equal(n, 0);
  tg_postal_free(p);
}

static void a_town_split_over_lines_is_joined(void **state) {
  tg_postal *p = load_quirks();
  const tg_postal_entry *e = only(p, "9999901");
  assert_string_equal(e->town, "見本町");
  assert_string_equal(e->town_note, "１丁目、２丁目「３～５番地」、３丁目");
  assert_string_equal(e->town_kana, "ﾐﾎﾝﾁｮｳ(1ﾁｮｳﾒ､2ﾁｮｳﾒ<3-5ﾊﾞﾝﾁ>､3ﾁｮｳﾒ)");
  assert_int_equal(e->row, 6);
  tg_postal_free(p);
}

static void notes_in_parentheses_are_kept_apart(void **state) {
  tg_postal *p = load_quirks();
  const tg_postal_entry *e = only(p, "1000013");
  assert_string_equal(e->town, "霞が関");
  assert_string_equal(e->town_note, "次のビルを除く");
  e = only(p, "1006090");
  assert_string_equal(e->town, "霞が関霞が関ビル");
  assert_string_equal(e->town_note, "地階・階層不明");
  e = only(p, "9999903");
  assert_string_equal(e->town, "栄町");
  assert_string_equal(e->town_note, "その他");
  assert_true(e->multi_code_town);
  tg_postal_free(p);
}

static void the_flags_of_columns_10_to_13_are_kept(void **state) {
  tg_postal *p = load_quirks();
  const tg_postal_entry *e = only(p, "9999911"); /* 大通西（１～１９丁目） */
  assert_true(e->multi_code_town);               /* 10: the town has more than one code */
  assert_false(e->koaza_banchi);
  assert_true(e->has_chome); /* 12: the town has 丁目 */
  assert_false(e->multi_town_code);
  e = only(p, "9999926");       /* 小字町（１～１００番地） */
  assert_true(e->koaza_banchi); /* 11: 番地 numbered per 小字 */
  size_t n;
  const tg_postal_entry *const *two = tg_postal_lookup(p, "9999906", &n);
  assert_int_equal(n, 2);
  assert_true(two[0]->multi_town_code && two[1]->multi_town_code); /* 13: one code, two towns */
  tg_postal_free(p);
}

static void high_rise_rows_name_their_building_and_floor(void **state) {
  tg_postal *p = load_quirks();
  const tg_postal_entry *e = only(p, "1006001");
  assert_string_equal(e->town, "霞が関霞が関ビル");
  assert_string_equal(e->town_note, "１階");
  assert_string_equal(e->building, "霞が関ビル"); /* after the town 霞が関 */
  assert_int_equal(e->floor, 1);
  e = only(p, "1006090");
  assert_string_equal(e->building, "霞が関ビル");
  assert_int_equal(e->floor, -1); /* 地階・階層不明 */
  e = only(p, "1000013");
  assert_string_equal(e->building, "");
  assert_int_equal(e->floor, 0);
  /* the last parentheses are the note; earlier ones belong to the name */
  e = only(p, "9999951");
  assert_string_equal(e->town, "見本駅見本タワー（高層棟）");
  assert_string_equal(e->town_note, "１階");
  assert_string_equal(e->building, "見本タワー（高層棟）");
  assert_int_equal(e->floor, 1);
  tg_postal_free(p);
}

static void the_derived_dictionary_writes_floors_into_the_name(void **state) {
  char *path = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  const tg_postal_entry *e = only(p, "2206120"); /* みなとみらいクイーンズタワーＢ２０階 */
  assert_string_equal(e->building, "クイーンズタワーＢ");
  assert_int_equal(e->floor, 20);
  e = only(p, "2206190"); /* みなとみらいクイーンズタワーＢ: its 地階・階層不明 row */
  assert_string_equal(e->building, "クイーンズタワーＢ");
  assert_int_equal(e->floor, -1);
  tg_postal_free(p);
  tg_diag_free(d);
  g_free(path);
}

static void default_and_whole_city_rows_have_no_town(void **state) {
  tg_postal *p = load_quirks();
  const tg_postal_entry *e = only(p, "2200000");
  assert_true(e->is_default);
  assert_string_equal(e->town, "");
  e = only(p, "1000301"); /* 利島村一円 */
  assert_true(e->is_whole_city);
  assert_string_equal(e->town, "");
  e = only(p, "9999905"); /* 実例町一円, in 見本郡実例町 */
  assert_true(e->is_whole_city);
  e = only(p, "9999902"); /* 試験村の次に番地がくる場合 */
  assert_true(e->is_whole_city);
  assert_string_equal(e->town, "");
  assert_string_equal(e->town_note, "試験村の次に番地がくる場合");
  size_t n;
  const tg_postal_entry *const *two = tg_postal_lookup(p, "9999906", &n);
  assert_int_equal(n, 2);
  assert_string_equal(two[0]->town, "青葉台"); /* file order */
  assert_true(two[0]->multi_town_code);
  e = only(p, "9999931"); /* 模型村の次に６６４番地以降がくる場合 */
  assert_true(e->is_whole_city);
  assert_string_equal(e->town_note, "模型村の次に６６４番地以降がくる場合");
  e = only(p, "9999932"); /* a town called 一円 is not 〇〇一円 */
  assert_false(e->is_whole_city);
  assert_string_equal(e->town, "一円");
  tg_postal_free(p);
}

static void addresses_are_compared_with_their_postal_code(void **state) {
  tg_postal *p = load_quirks();
  tg_postal_split s;
  const char *a = "神奈川県横浜市西区みなとみらい2丁目3番1号";
  assert_int_equal(tg_postal_match_address(p, "2200012", a, strlen(a), &s), TG_POSTAL_MATCH);
  assert_true(s.town_matched);
  assert_string_equal(a + s.town_end, "2丁目3番1号");
  assert_string_equal(a + s.city_end, "みなとみらい2丁目3番1号");
  /* without the prefecture, with spaces and full-width digits */
  a = "横浜市 西区　みなとみらい２丁目";
  assert_int_equal(tg_postal_match_address(p, "2200012", a, strlen(a), &s), TG_POSTAL_MATCH);
  assert_string_equal(a + s.town_end, "２丁目");
  /* another city, another prefecture, an unknown code */
  a = "神奈川県座間市入谷東1丁目";
  assert_int_equal(tg_postal_match_address(p, "2200012", a, strlen(a), NULL), TG_POSTAL_OTHER_CITY);
  a = "東京都千代田区霞が関1丁目";
  assert_int_equal(tg_postal_match_address(p, "2200012", a, strlen(a), NULL),
                   TG_POSTAL_OTHER_PREFECTURE);
  assert_int_equal(tg_postal_match_address(p, "1234567", a, strlen(a), NULL), TG_POSTAL_NO_CODE);
  /* the longest 町域 of a shared code wins */
  a = "見本市青葉台西3-4";
  assert_int_equal(tg_postal_match_address(p, "9999906", a, strlen(a), &s), TG_POSTAL_MATCH);
  assert_string_equal(s.entry->town, "青葉台西");
  assert_string_equal(a + s.town_end, "3-4");
  /* an address without its 郡, and a whole-village code */
  a = "神奈川県実例町123番地";
  assert_int_equal(tg_postal_match_address(p, "9999905", a, strlen(a), &s), TG_POSTAL_MATCH);
  assert_false(s.town_matched);
  assert_string_equal(a + s.town_end, "123番地");
  /* 以下に掲載がない場合: the city is enough */
  a = "神奈川県横浜市西区どこか町1番";
  assert_int_equal(tg_postal_match_address(p, "2200000", a, strlen(a), &s), TG_POSTAL_MATCH);
  assert_true(s.entry->is_default);
  tg_postal_free(p);
}

static void ke_and_small_ke_are_the_same_in_addresses(void **state) {
  char *path = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  size_t n;
  const tg_postal_entry *const *e = tg_postal_lookup(p, "2530041", &n);
  assert_true(n >= 1);
  assert_string_equal(e[0]->city, "茅ヶ崎市"); /* the dictionary writes ヶ */
  const char *a = "神奈川県茅ケ崎市茅ケ崎1丁目";
  assert_int_equal(tg_postal_match_address(p, "2530041", a, strlen(a), NULL), TG_POSTAL_MATCH);
  tg_postal_free(p);
  tg_diag_free(d);
  g_free(path);
}

static void the_vendored_kanagawa_dictionary_loads(void **state) {
  char *path = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  assert_int_equal(tg_diag_count(d), 0);
  assert_int_equal(tg_postal_get_entry_count(p), 2302);
  assert_int_equal(tg_postal_get_code_count(p), 2299);
  const tg_postal_entry *e = only(p, "2520028");
  assert_string_equal(e->city, "座間市");
  assert_string_equal(e->town, "入谷東");
  size_t n;
  const tg_postal_entry *const *two = tg_postal_lookup(p, "2590100", &n); /* two towns' default */
  assert_int_equal(n, 2);
  assert_true(two[0]->is_default && two[1]->is_default);
  const char *a = "神奈川県中井町井ノ口1番地";
  assert_int_equal(tg_postal_match_address(p, "2590100", a, strlen(a), NULL), TG_POSTAL_MATCH);
  tg_postal_free(p);
  tg_diag_free(d);
  g_free(path);
}

static void the_cp932_copy_gives_the_same_dictionary(void **state) {
  const char *shared = g_getenv("TEGAMI_SHARED");
  char *path = shared
                   ? g_build_filename(shared, "data", "postal", "KEN_ALL-kanagawa.cp932.csv", NULL)
                   : NULL;
  if (!path || !g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_free(path);
    skip();
  }
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  char *upath = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  tg_postal *u = tg_postal_load(upath, TG_ENC_AUTO, d);
  assert_non_null(p);
  assert_non_null(u);
  assert_int_equal(tg_postal_get_entry_count(p), tg_postal_get_entry_count(u));
  size_t n1, n2;
  const tg_postal_entry *const *a = tg_postal_lookup(p, "2520028", &n1);
  const tg_postal_entry *const *b = tg_postal_lookup(u, "2520028", &n2);
  assert_int_equal(n1, n2);
  assert_string_equal(a[0]->town, b[0]->town);
  assert_string_equal(a[0]->town_kana, b[0]->town_kana);
  tg_postal_free(p);
  tg_postal_free(u);
  tg_diag_free(d);
  g_free(path);
  g_free(upath);
}

static void the_all_japan_file_loads_when_present(void **state) {
  const char *shared = g_getenv("TEGAMI_SHARED");
  char *path =
      shared ? g_build_filename(shared, "data", "postal", "KEN_ALL-japan.csv", NULL) : NULL;
  if (!path || !g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_free(path);
    skip();
  }
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  assert_int_equal(tg_postal_get_entry_count(p), 124130);
  assert_int_equal(tg_postal_get_code_count(p), 120663);
  const tg_postal_entry *e = only(p, "1000013");
  assert_string_equal(e->prefecture, "東京都");
  assert_string_equal(e->town, "霞が関");
  const char *a = "千葉県千葉市稲毛区緑町1丁目";
  assert_int_equal(tg_postal_match_address(p, "2630023", a, strlen(a), NULL), TG_POSTAL_MATCH);
  tg_postal_free(p);
  tg_diag_free(d);
  g_free(path);
}

static void a_file_that_is_not_ken_all_is_refused(void **state) {
  const char *text = "郵便番号,住所\r\n2520028,座間市\r\n";
  char *path = tg_test_write_temp("postal.csv", text, strlen(text));
  tg_diag *d = tg_diag_new();
  assert_null(tg_postal_load(path, TG_ENC_AUTO, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "postal.format");
  assert_int_equal(tg_diag_get(d, 0)->row, 1);
  assert_string_equal(tg_diag_get(d, tg_diag_count(d) - 1)->code, "postal.unusable");
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void the_utf8_edition_with_a_bom_and_lf_is_read(void **state) {
  const char *text = "\xEF\xBB\xBF"
                     "14216,\"252  \",\"2520028\",\"ｶﾅｶﾞﾜｹﾝ\",\"ｻﾞﾏｼ\",\"ｲﾘﾔﾋｶﾞｼ\",\"神奈川県\","
                     "\"座間市\",\"入谷東\",0,0,1,0,0,0\n";
  char *path = tg_test_write_temp("utf_ken_all.csv", text, strlen(text));
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  assert_string_equal(only(p, "2520028")->town, "入谷東");
  assert_true(only(p, "2520028")->has_chome);
  tg_postal_free(p);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_line_that_is_not_cp932_is_named(void **state) {
  /* line 2 holds 0xFF, which is no CP932 byte */
  const char text[] =
      "14216,\"252  \",\"2520028\",\"\xB6\",\"\xB6\",\"\xB6\",\"\x90\x5F\",\"\x90\x5F\","
      "\"\x90\x5F\",0,0,0,0,0,0\r\n"
      "14216,\"252  \",\"2520029\",\"\xFF\",\"\xB6\",\"\xB6\",\"\x90\x5F\",\"\x90\x5F\","
      "\"\x90\x5F\",0,0,0,0,0,0\r\n";
  char *path = tg_test_write_temp("bad.csv", text, sizeof text - 1);
  tg_diag *d = tg_diag_new();
  assert_null(tg_postal_load(path, TG_ENC_CP932, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "postal.format");
  assert_int_equal(tg_diag_get(d, 0)->row, 2);
  assert_non_null(strstr(tg_diag_get(d, 0)->message, "CP932"));
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_official_layout_in_cp932_is_read),
      cmocka_unit_test(a_town_split_over_lines_is_joined),
      cmocka_unit_test(notes_in_parentheses_are_kept_apart),
      cmocka_unit_test(the_flags_of_columns_10_to_13_are_kept),
      cmocka_unit_test(high_rise_rows_name_their_building_and_floor),
      cmocka_unit_test(the_derived_dictionary_writes_floors_into_the_name),
      cmocka_unit_test(default_and_whole_city_rows_have_no_town),
      cmocka_unit_test(addresses_are_compared_with_their_postal_code),
      cmocka_unit_test(ke_and_small_ke_are_the_same_in_addresses),
      cmocka_unit_test(the_vendored_kanagawa_dictionary_loads),
      cmocka_unit_test(the_cp932_copy_gives_the_same_dictionary),
      cmocka_unit_test(the_all_japan_file_loads_when_present),
      cmocka_unit_test(a_file_that_is_not_ken_all_is_refused),
      cmocka_unit_test(the_utf8_edition_with_a_bom_and_lf_is_read),
      cmocka_unit_test(a_line_that_is_not_cp932_is_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
