/* test_postal_derive.c — the postal code of an address (tg_postal_derive).
 *
 * KDB lists have 住所 but no 郵便番号.  The code is derived by KEN_ALL's own
 * rules, and only when they give one code: otherwise the row is ambiguous
 * (so many codes fit) or not found — never a guess.  Each test below is one
 * rule, on the synthetic official-format rows of tests/data/ken_all-quirks.csv
 * (見本市, 見本郡模型村 … do not exist) and on the vendored Kanagawa file.
 */
#include "tg_test.h"

static tg_postal *quirks, *kanagawa;

static int load(void **state) {
  tg_diag *d = tg_diag_new();
  char *path =
      g_build_filename(g_getenv("TEGAMI_SRC"), "tests", "data", "ken_all-quirks.csv", NULL);
  quirks = tg_postal_load(path, TG_ENC_AUTO, d);
  g_free(path);
  path = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  kanagawa = tg_postal_load(path, TG_ENC_AUTO, d);
  g_free(path);
  int ok = quirks && kanagawa && tg_diag_count(d) == 0;
  tg_diag_free(d);
  return ok ? 0 : -1;
}

static int unload(void **state) {
  tg_postal_free(quirks);
  tg_postal_free(kanagawa);
  return 0;
}

static const tg_postal_hint NO_HINT = {NULL, NULL};

static tg_postal_result derive_with(const tg_postal *p, const char *address, tg_postal_hint hint) {
  tg_postal_result r;
  tg_postal_derive(p, address, strlen(address), &hint, &r);
  return r;
}

/* The address gives exactly this code. */
#define assert_code(p, address, hint, want)                                                        \
  do {                                                                                             \
    tg_postal_result r_ = derive_with(p, address, hint);                                           \
    if (r_.outcome != TG_POSTAL_DECIDED || strcmp(r_.code, want) != 0)                             \
      fail_msg("%s: expected %s, got outcome %d code %s (%zu candidates)", address, want,          \
               (int)r_.outcome, r_.code, r_.ncandidates);                                          \
  } while (0)

/* Several codes fit: the address is held, not guessed. */
#define assert_ambiguous(p, address, hint, n)                                                      \
  do {                                                                                             \
    tg_postal_result r_ = derive_with(p, address, hint);                                           \
    if (r_.outcome != TG_POSTAL_AMBIGUOUS || r_.ncandidates != (n))                                \
      fail_msg("%s: expected %d candidates, got outcome %d code %s (%zu candidates)", address,     \
               (int)(n), (int)r_.outcome, r_.code, r_.ncandidates);                                \
  } while (0)

#define assert_not_found(p, address, hint, why)                                                    \
  do {                                                                                             \
    tg_postal_result r_ = derive_with(p, address, hint);                                           \
    if (r_.outcome != TG_POSTAL_NOT_FOUND || r_.miss != (why))                                     \
      fail_msg("%s: expected not found (%d), got outcome %d code %s miss %d", address, (int)(why), \
               (int)r_.outcome, r_.code, (int)r_.miss);                                            \
  } while (0)

/* ---- reading the address ------------------------------------------------------------- */

static void prefecture_city_and_town_give_the_code(void **state) {
  const char *a = "神奈川県横浜市西区みなとみらい2丁目3番1号";
  tg_postal_result r = derive_with(kanagawa, a, NO_HINT);
  assert_int_equal(r.outcome, TG_POSTAL_DECIDED);
  assert_string_equal(r.code, "2200012");
  assert_int_equal(r.ncandidates, 1);
  assert_false(r.by_default);
  assert_string_equal(a + r.town_end, "2丁目3番1号"); /* 住所B starts after the 町域 */
}

static void widths_kanji_numerals_and_dashes_do_not_matter(void **state) {
  static const char *const SAME[] = {
      "横浜市西区みなとみらい２丁目３番１号", "横浜市西区みなとみらい二丁目三番一号",
      "横浜市西区みなとみらい2-3-1",          "横浜市西区みなとみらい２－３－１",
      "横浜市西区みなとみらい2−3−1",          "横浜市西区みなとみらい２ー３ー１",
      "横浜市　西区 みなとみらい 2丁目3-1",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(SAME); i++)
    assert_code(kanagawa, SAME[i], NO_HINT, "2200012");
}

static void ke_ga_and_no_variants_are_the_same(void **state) {
  assert_code(quirks, "神奈川県見本市見本ヶ丘1番地", NO_HINT, "9999937");
  assert_code(quirks, "神奈川県見本市見本ケ丘1番地", NO_HINT, "9999937");
  assert_code(quirks, "神奈川県見本市見本が丘1番地", NO_HINT, "9999937");
  assert_code(quirks, "神奈川県見本市井の口5番地", NO_HINT, "9999938");
  assert_code(quirks, "神奈川県見本市井ノ口5番地", NO_HINT, "9999938");
  /* the dictionary writes 茅ヶ崎市, addresses often 茅ケ崎市 */
  assert_code(kanagawa, "神奈川県茅ケ崎市茅ケ崎1丁目2-3", NO_HINT, "2530041");
}

static void numerals_inside_town_names_are_read_as_written(void **state) {
  /* 十三 is a town: 十三227番地 is 十三 + 227番地, not 13227 */
  assert_code(quirks, "神奈川県見本市十三227番地", NO_HINT, "9999933");
  assert_code(quirks, "神奈川県見本市十三二百二十七番地", NO_HINT, "9999933");
  /* 北一条西 may be written 北1条西 */
  assert_code(quirks, "神奈川県見本市北1条西5丁目", NO_HINT, "9999934");
  assert_code(quirks, "神奈川県見本市北一条西五丁目", NO_HINT, "9999934");
}

static void a_town_with_chome_in_its_name_is_its_own_town(void **state) {
  /* 本町 and 本町三丁目 are two rows with two codes */
  assert_code(quirks, "神奈川県見本市本町3丁目2番1号", NO_HINT, "9999936");
  assert_code(quirks, "神奈川県見本市本町三丁目2-1", NO_HINT, "9999936");
  assert_code(quirks, "神奈川県見本市本町5番地", NO_HINT, "9999935");
  /* 3-2-1 may be 本町 3番地 or 本町三丁目 2番1号 */
  assert_ambiguous(quirks, "神奈川県見本市本町3-2-1", NO_HINT, 2);
}

static void oaza_and_aza_may_be_written_or_not(void **state) {
  /* the dictionary writes 大字見本原 */
  assert_code(quirks, "神奈川県見本市大字見本原123", NO_HINT, "9999915");
  assert_code(quirks, "神奈川県見本市見本原123", NO_HINT, "9999915");
  assert_code(quirks, "神奈川県見本市見本原字東123番地", NO_HINT, "9999915");
  /* the address writes 大字, the dictionary does not */
  assert_code(quirks, "神奈川県見本市大字藤野木12番地", NO_HINT, "9999913");
  assert_code(quirks, "神奈川県見本市字藤野木12番地", NO_HINT, "9999913");
}

/* ---- the hint: a list is per municipality --------------------------------------------- */

static void a_left_out_prefecture_comes_from_the_hint(void **state) {
  /* there is a 見本市 in 神奈川県 and one in 東京都, both with a 青葉台 */
  assert_ambiguous(quirks, "見本市青葉台1-2", NO_HINT, 2);
  assert_code(quirks, "見本市青葉台1-2", ((tg_postal_hint){"神奈川県", NULL}), "9999906");
  assert_code(quirks, "見本市青葉台1-2", ((tg_postal_hint){"東京都", NULL}), "9999961");
}

static void a_left_out_city_comes_from_the_hint(void **state) {
  tg_postal_hint mihon = {"神奈川県", "見本市"};
  assert_code(quirks, "本町5番地", mihon, "9999935");
  /* 横浜市 stands for its 18 wards; the ward may be written or not */
  tg_postal_hint yokohama = {"神奈川県", "横浜市"};
  assert_code(kanagawa, "西区みなとみらい2-3-1", yokohama, "2200012");
  assert_code(kanagawa, "みなとみらい2-3-1", yokohama, "2200012");
  assert_int_equal(tg_postal_hint_count(kanagawa, &yokohama), 18);
  assert_int_equal(tg_postal_hint_count(kanagawa, &(tg_postal_hint){"神奈川県", NULL}), 58);
  assert_int_equal(tg_postal_hint_count(kanagawa, &(tg_postal_hint){"神奈川県", "足柄下郡箱根町"}),
                   1);
  assert_int_equal(tg_postal_hint_count(kanagawa, &(tg_postal_hint){"神奈川県", "箱根町"}), 1);
  assert_int_equal(tg_postal_hint_count(kanagawa, &(tg_postal_hint){"神奈川県", "見本市"}), 0);
  assert_int_equal(tg_postal_hint_count(kanagawa, &(tg_postal_hint){"どこか県", NULL}), 0);
}

static void what_the_address_writes_wins_over_the_hint(void **state) {
  /* someone of 横浜市's list living in 座間市 (住所地特例) */
  assert_code(kanagawa, "神奈川県座間市入谷東1丁目2-3", ((tg_postal_hint){"神奈川県", "横浜市"}),
              "2520028");
  assert_code(kanagawa, "座間市入谷東1丁目2-3", ((tg_postal_hint){"神奈川県", "横浜市"}),
              "2520028");
}

/* ---- KEN_ALL's rules ------------------------------------------------------------------ */

static void chome_ranges_split_a_town(void **state) {
  /* 大通西（１～１９丁目） and 大通西（２０～２８丁目） */
  assert_code(quirks, "神奈川県見本市大通西5丁目1-1", NO_HINT, "9999911");
  assert_code(quirks, "神奈川県見本市大通西二十五丁目", NO_HINT, "9999912");
  assert_code(quirks, "神奈川県見本市大通西20-1-1", NO_HINT, "9999912"); /* a 丁目 town: 20丁目 */
  assert_ambiguous(quirks, "神奈川県見本市大通西", NO_HINT, 2);          /* which 丁目? */
  assert_not_found(quirks, "神奈川県見本市大通西30丁目", NO_HINT, TG_POSTAL_MISS_NUMBER);
}

static void banchi_ranges_and_the_rest_of_the_town(void **state) {
  /* 藤野木（１～５００番地） and 藤野木（その他） */
  assert_code(quirks, "神奈川県見本市藤野木123番地", NO_HINT, "9999913");
  assert_code(quirks, "神奈川県見本市藤野木123-4", NO_HINT, "9999913");
  assert_code(quirks, "神奈川県見本市藤野木501番地", NO_HINT, "9999914");
  assert_code(quirks, "神奈川県見本市藤野木五百一番地", NO_HINT, "9999914");
  assert_ambiguous(quirks, "神奈川県見本市藤野木", NO_HINT, 2);
}

static void a_range_with_an_exception(void **state) {
  /* 茂田井（１～５００「２１１番地を除く」） and 茂田井（その他） */
  assert_code(quirks, "神奈川県見本市茂田井100番地", NO_HINT, "9999918");
  assert_code(quirks, "神奈川県見本市茂田井211番地", NO_HINT, "9999919");
  assert_code(quirks, "神奈川県見本市茂田井600番地", NO_HINT, "9999919");
}

static void chome_with_banchi_inside_it(void **state) {
  /* 見本町（１丁目、２丁目「３～５番地」、３丁目）, one record over two lines */
  assert_code(quirks, "神奈川県見本市見本町1丁目9番地", NO_HINT, "9999901");
  assert_code(quirks, "神奈川県見本市見本町2丁目4番地", NO_HINT, "9999901");
  assert_not_found(quirks, "神奈川県見本市見本町2丁目9番地", NO_HINT, TG_POSTAL_MISS_NUMBER);
}

static void koaza_names_and_numbers(void **state) {
  /* 東洋（油駒、南東洋、１３２～１５６、１５８～３５４、３６６、３６７番地） and 東洋（その他）:
   * the unit written once at the end is every number's */
  assert_code(quirks, "神奈川県見本市東洋字油駒12", NO_HINT, "9999916");
  assert_code(quirks, "神奈川県見本市東洋字南東洋500", NO_HINT, "9999916");
  assert_code(quirks, "神奈川県見本市東洋200番地", NO_HINT, "9999916");
  assert_code(quirks, "神奈川県見本市東洋367番地", NO_HINT, "9999916");
  /* 400番地 is not in the ranges, but may be in 油駒 or 南東洋, whose 小字 the
   * address may leave out */
  assert_ambiguous(quirks, "神奈川県見本市東洋400番地", NO_HINT, 2);
}

static void banchi_numbered_per_koaza_need_the_koaza(void **state) {
  /* flag 11: 小字町（１～１００番地） — 50番地 of which 小字? */
  assert_ambiguous(quirks, "神奈川県見本市小字町50番地", NO_HINT, 2);
}

static void branch_numbers(void **state) {
  /* 協和（８８－２、２７１－１０） and 協和（その他） */
  assert_code(quirks, "神奈川県見本市協和88番地2", NO_HINT, "9999928");
  assert_code(quirks, "神奈川県見本市協和88-2", NO_HINT, "9999928");
  assert_code(quirks, "神奈川県見本市協和88番地の3", NO_HINT, "9999929");
  assert_code(quirks, "神奈川県見本市協和89番地", NO_HINT, "9999929");
  assert_ambiguous(quirks, "神奈川県見本市協和88番地", NO_HINT, 2);
}

static void chiwari(void **state) {
  /* 種市第１５地割～第２１地割 and 種市第２２地割 */
  assert_code(quirks, "神奈川県見本市種市第16地割12番地", NO_HINT, "9999920");
  assert_code(quirks, "神奈川県見本市種市16地割12", NO_HINT, "9999920");
  assert_code(quirks, "神奈川県見本市種市第二十二地割", NO_HINT, "9999921");
}

static void written_with_chome_or_not(void **state) {
  /* 旭町（丁目） and 旭町（番地） */
  assert_code(quirks, "神奈川県見本市旭町1丁目2-3", NO_HINT, "9999922");
  assert_code(quirks, "神奈川県見本市旭町12番地", NO_HINT, "9999923");
  assert_ambiguous(quirks, "神奈川県見本市旭町1-2-3", NO_HINT, 2);
}

static void a_note_we_do_not_read_never_decides(void **state) {
  /* 謎町（南１～６線西） and 謎町（その他） */
  assert_ambiguous(quirks, "神奈川県見本市謎町南3線西10", NO_HINT, 2);
  assert_ambiguous(quirks, "神奈川県見本市謎町100番地", NO_HINT, 2);
}

static void high_rise_buildings_have_a_code_per_floor(void **state) {
  /* 霞が関（次のビルを除く）, 霞が関霞が関ビル（地階・階層不明）, （１階）, （２階） */
  assert_code(quirks, "東京都千代田区霞が関3丁目2番5号", NO_HINT, "1000013");
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞が関ビル1階", NO_HINT, "1006001");
  assert_code(quirks, "東京都千代田区霞が関３－２－５霞が関ビル２Ｆ", NO_HINT, "1006002");
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞ヶ関ビル 2F", NO_HINT, "1006002");
  /* no floor, a basement, or a floor without a row of its own */
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞が関ビル", NO_HINT, "1006090");
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞が関ビル地下1階", NO_HINT, "1006090");
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞が関ビル B1F", NO_HINT, "1006090");
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞が関ビル5階", NO_HINT, "1006090");
  /* a room number is not a floor */
  assert_code(quirks, "東京都千代田区霞が関3-2-5 霞が関ビル201号室", NO_HINT, "1006090");
}

static void a_building_named_in_part_is_not_decided(void **state) {
  /* 見本駅見本タワー（高層棟）（１階）…: 見本タワー without 高層棟 may be its
   * low-rise part, which has the town's code */
  assert_code(quirks, "神奈川県見本市見本駅1-1-1 見本タワー高層棟2階", NO_HINT, "9999952");
  assert_code(quirks, "神奈川県見本市見本駅1-1-1 見本タワー（高層棟）１階", NO_HINT, "9999951");
  assert_ambiguous(quirks, "神奈川県見本市見本駅1-1-1 見本タワー 2階", NO_HINT, 2);
  assert_code(quirks, "神奈川県見本市見本駅1-1-1", NO_HINT, "9999940");
  /* a real one: the three towers of クイーンズスクエア */
  assert_code(kanagawa, "神奈川県横浜市西区みなとみらい2-3-2 クイーンズタワーＢ 20F", NO_HINT,
              "2206120");
  assert_code(kanagawa, "横浜市西区みなとみらい2-3-2 ｸｲｰﾝｽﾞﾀﾜｰB 20階", NO_HINT, "2206120");
  assert_code(kanagawa, "神奈川県横浜市西区みなとみらい2-3-5 クイーンズタワーＣ", NO_HINT,
              "2206290");
}

static void addresses_without_a_town(void **state) {
  /* 〇〇の次に番地がくる場合 */
  assert_code(quirks, "神奈川県見本郡試験村123番地", NO_HINT, "9999902");
  /* 〇〇一円 */
  assert_code(quirks, "神奈川県見本郡実例町456", NO_HINT, "9999905");
  assert_code(quirks, "東京都利島村248番地", NO_HINT, "1000301");
  /* 模型村の次に６６４番地以降がくる場合, else 以下に掲載がない場合 */
  assert_code(quirks, "神奈川県見本郡模型村700番地", NO_HINT, "9999931");
  tg_postal_result r = derive_with(quirks, "神奈川県見本郡模型村12番地", NO_HINT);
  assert_int_equal(r.outcome, TG_POSTAL_DECIDED);
  assert_string_equal(r.code, "9999930");
  assert_true(r.by_default);
  /* a town called 一円 is a town, not 模型村一円 */
  assert_code(quirks, "神奈川県見本郡模型村一円3番地", NO_HINT, "9999932");
  assert_code(quirks, "神奈川県見本郡模型村大字一円3番地", NO_HINT, "9999932");
}

static void a_town_the_dictionary_does_not_have_is_not_found(void **state) {
  /* it may be misspelt or an old name: 以下に掲載がない場合 is offered, not used */
  tg_postal_result r = derive_with(kanagawa, "神奈川県横浜市西区どこか町1番", NO_HINT);
  assert_int_equal(r.outcome, TG_POSTAL_NOT_FOUND);
  assert_int_equal(r.miss, TG_POSTAL_MISS_TOWN);
  assert_string_equal(r.default_code, "2200000");
  /* a listed town followed by more name is another town, not that one */
  assert_not_found(kanagawa, "神奈川県横浜市西区みなとみらい西1-2-3", NO_HINT, TG_POSTAL_MISS_TOWN);
  assert_not_found(quirks, "神奈川県見本市藤野木中1番地", NO_HINT, TG_POSTAL_MISS_TOWN);
  assert_not_found(quirks, "神奈川県見本市本町通三条上る1番地", NO_HINT, TG_POSTAL_MISS_TOWN);
  assert_not_found(kanagawa, "どこか県どこか市1-2-3", NO_HINT, TG_POSTAL_MISS_CITY);
  assert_not_found(kanagawa, "", NO_HINT, TG_POSTAL_MISS_CITY);
  assert_not_found(kanagawa, "東京都千代田区霞が関1丁目", NO_HINT, TG_POSTAL_MISS_CITY);
}

static void ambiguous_results_list_their_candidates(void **state) {
  tg_postal_result r = derive_with(quirks, "神奈川県見本市大通西", NO_HINT);
  assert_int_equal(r.outcome, TG_POSTAL_AMBIGUOUS);
  assert_int_equal(r.ncandidates, 2);
  assert_string_equal(r.candidates[0], "9999911"); /* in code order */
  assert_string_equal(r.candidates[1], "9999912");
  assert_string_equal(r.code, "");
}

static void malformed_input_is_not_found(void **state) {
  const char bad[] = "神奈川県\xff\xfe横浜市";
  tg_postal_result r;
  tg_postal_derive(kanagawa, bad, sizeof bad - 1, NULL, &r);
  assert_int_equal(r.outcome, TG_POSTAL_NOT_FOUND);
  tg_postal_derive(NULL, "x", 1, NULL, &r);
  assert_int_equal(r.outcome, TG_POSTAL_NOT_FOUND);
  /* a field of kilobytes is not an address */
  GString *big = g_string_new("神奈川県横浜市西区みなとみらい2-3-1 ");
  while (big->len <= TG_POSTAL_MAX_ADDRESS)
    g_string_append(big, "クイーンズタワー");
  tg_postal_derive(kanagawa, big->str, big->len, NULL, &r);
  assert_int_equal(r.outcome, TG_POSTAL_NOT_FOUND);
  g_string_free(big, TRUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(prefecture_city_and_town_give_the_code),
      cmocka_unit_test(widths_kanji_numerals_and_dashes_do_not_matter),
      cmocka_unit_test(ke_ga_and_no_variants_are_the_same),
      cmocka_unit_test(numerals_inside_town_names_are_read_as_written),
      cmocka_unit_test(a_town_with_chome_in_its_name_is_its_own_town),
      cmocka_unit_test(oaza_and_aza_may_be_written_or_not),
      cmocka_unit_test(a_left_out_prefecture_comes_from_the_hint),
      cmocka_unit_test(a_left_out_city_comes_from_the_hint),
      cmocka_unit_test(what_the_address_writes_wins_over_the_hint),
      cmocka_unit_test(chome_ranges_split_a_town),
      cmocka_unit_test(banchi_ranges_and_the_rest_of_the_town),
      cmocka_unit_test(a_range_with_an_exception),
      cmocka_unit_test(chome_with_banchi_inside_it),
      cmocka_unit_test(koaza_names_and_numbers),
      cmocka_unit_test(banchi_numbered_per_koaza_need_the_koaza),
      cmocka_unit_test(branch_numbers),
      cmocka_unit_test(chiwari),
      cmocka_unit_test(written_with_chome_or_not),
      cmocka_unit_test(a_note_we_do_not_read_never_decides),
      cmocka_unit_test(high_rise_buildings_have_a_code_per_floor),
      cmocka_unit_test(a_building_named_in_part_is_not_decided),
      cmocka_unit_test(addresses_without_a_town),
      cmocka_unit_test(a_town_the_dictionary_does_not_have_is_not_found),
      cmocka_unit_test(ambiguous_results_list_their_candidates),
      cmocka_unit_test(malformed_input_is_not_found),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
