/* test_custbar.c — the Japan Post customer barcode: the worked examples of
 * the 郵便番号・バーコードマニュアル (p17, p20, p25; domain.md A.2.2 and A.9),
 * the extraction rules one by one, the 20-position cut, CC4 padding, check
 * digits, bars (cross-checked against libzint 2.11.1 where zint can encode
 * the case), the split at the town name, 代表番号, and the geometry within
 * Japan Post's tolerances at 8, 10 and 11.5 pt. */
#include <math.h>

#include "tg_test.h"

/* ---- helpers ------------------------------------------------------------- */

/* 住所B → address-number data (the postal code does not matter). */
static const char *extracted(tg_custbar *bc, const char *b) {
  assert_int_equal(tg_custbar_encode_b(bc, "1000013", b, NULL, 0), TG_CUSTBAR_OK);
  return bc->extracted;
}

/* The 20 data symbols, space-separated, as the manual lists them. */
static char *symbol_text(const tg_custbar *bc) {
  GString *s = g_string_new(NULL);
  for (int i = 1; i <= TG_CUSTBAR_DATA_LEN; i++)
    g_string_append_printf(s, "%s%s", i > 1 ? " " : "", tg_custbar_symbol_name(bc->symbols[i]));
  return g_string_free(s, FALSE);
}

static const char *cd(const tg_custbar *bc) { return tg_custbar_symbol_name(bc->check_digit); }

/* ---- p25: the worked examples, from the full address --------------------- */

typedef struct {
  const char *postal, *address, *town, *data, *check;
} example;

/* Japan Post's バーコード作成例 (p25) and the p17 example, with the town name
 * (町域) KEN_ALL gives for each postal code. */
static const example P25[] = {
    {"2630023", "千葉市稲毛区緑町3丁目30-8　郵便ビル403号", "緑町", "26300233-30-8-403", "5"},
    {"0140113", "秋田県大仙市堀見内　南田茂木　添60-1", "堀見内", "014011360-1", "CC8"},
    {"1100016", "東京都台東区台東5-6-3　ABCビル10F", "台東", "11000165-6-3-10", "9"},
    {"0600906", "北海道札幌市東区北六条東4丁目　郵便センター6号館", "北六条東", "06009064-6", "9"},
    {"0650006", "北海道札幌市東区北六条東8丁目　郵便センター10号館", "北六条東", "06500068-10",
     "9"},
    {"4070033", "山梨県韮崎市龍岡町下條南割　韮崎400", "龍岡町下條南割", "4070033400", "-"},
    {"2730102", "千葉県鎌ケ谷市右京塚　東3丁目-20-5　郵便・A&bコーポB604号", "右京塚",
     "27301023-20-5B604", "0"},
    {"1980036", "東京都青梅市河辺町十一丁目六番地一号　郵便タワー601", "河辺町",
     "198003611-6-1-601", "CC8"},
    {"0270203", "岩手県宮古市大字津軽石第二十一地割大淵川480", "津軽石", "027020321-480", "CC5"},
    {"5900016", "大阪府堺市堺区中田出井町四丁六番十九号", "中田出井町", "59000164-6-19", "CC2"},
    {"0800831", "北海道帯広市稲田町南七線　西28", "稲田町南", "08008317-28", "CC7"},
    {"3170055", "茨城県日立市宮田町6丁目7-14　ABCビル2F", "宮田町", "31700556-7-14-2", "CC1"},
    {"6500046", "神戸市中央区港島中町9丁目7-6　郵便シティA棟1F1号", "港島中町", "65000469-7-6A1-1",
     "5"},
    {"6230011", "京都府綾部市青野町綾部6-7　LプラザB106", "青野町", "62300116-7LB106", "4"},
    {"2280024", "神奈川県座間市入谷6丁目3454-5　郵便ハイツ6-1108", "入谷", "22800246-3454-5-6-11",
     "2"},
    {"0640804", "札幌市中央区南四条西29丁目1524-23　第2郵便ハウス501", "南四条西",
     "064080429-1524-23-2-", "3"},
    {"9100067", "福井県福井市新田塚3丁目80-25　J1ビル2-B", "新田塚", "91000673-80-25J1-2+CC1", "9"},
    {"1000013", "東京都千代田区霞が関1丁目3番2号　郵便プラザ503室", "霞が関（次のビルを除く）",
     "10000131-3-2-503", "9"},
};

static void every_manual_example_gives_its_data_and_check_digit(void **state) {
  for (size_t i = 0; i < G_N_ELEMENTS(P25); i++) {
    const example *e = &P25[i];
    const char *towns[] = {e->town};
    tg_custbar bc;
    assert_int_equal(tg_custbar_encode(&bc, e->postal, e->address, towns, 1), TG_CUSTBAR_OK);
    if (strcmp(bc.data, e->data) != 0 || strcmp(cd(&bc), e->check) != 0)
      fail_msg("%s: got %s / %s, want %s / %s", e->postal, bc.data, cd(&bc), e->data, e->check);
    assert_int_equal(strlen(bc.bars), TG_CUSTBAR_BARS);
  }
}

static void the_manual_symbol_lists_are_reproduced_with_padding_and_control_codes(void **state) {
  tg_custbar bc;
  const char *t1[] = {"右京塚"};
  tg_custbar_encode(&bc, "2730102", "千葉県鎌ケ谷市右京塚　東3丁目-20-5　郵便・A&bコーポB604号", t1,
                    1);
  char *s = symbol_text(&bc);
  assert_string_equal(s, "2 7 3 0 1 0 2 3 - 2 0 - 5 CC1 1 6 0 4 CC4 CC4");
  g_free(s);
  const char *t2[] = {"新田塚"};
  tg_custbar_encode(&bc, "9100067", "福井県福井市新田塚3丁目80-25　J1ビル2-B", t2, 1);
  s = symbol_text(&bc);
  assert_string_equal(s, "9 1 0 0 0 6 7 3 - 8 0 - 2 5 CC1 9 1 - 2 CC1");
  g_free(s);
  assert_true(bc.truncated);
  assert_string_equal(bc.extracted, "3-80-25J1-2B");
  assert_int_equal(bc.symbols[0], TG_CUSTBAR_START);
  assert_int_equal(bc.symbols[22], TG_CUSTBAR_STOP);
}

static void variants_seen_in_other_test_suites_give_the_same_data(void **state) {
  /* full-width hyphens, 丁目 instead of 丁, no hyphen after 丁目 */
  static const example V[] = {
      {"2730102", "千葉県鎌ケ谷市右京塚 東3丁目20－5 郵便・A&bコーポB604号", "右京塚",
       "27301023-20-5B604", "0"},
      {"5900016", "大阪府堺市中田出井町四丁目六番十九号", "中田出井町", "59000164-6-19", "CC2"},
      {"1100016", "東京都台東区台東5－6－3 ABCビル10F", "台東", "11000165-6-3-10", "9"},
      {"014-0113", "秋田県仙北郡仙北町堀見内 南田茂木 添60－1", "堀見内", "014011360-1", "CC8"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(V); i++) {
    const char *towns[] = {V[i].town};
    tg_custbar bc;
    assert_int_equal(tg_custbar_encode(&bc, V[i].postal, V[i].address, towns, 1), TG_CUSTBAR_OK);
    assert_string_equal(bc.data, V[i].data);
    assert_string_equal(cd(&bc), V[i].check);
  }
}

/* ---- A.9: check digits of every published vector ---------------------------- */

typedef struct {
  const char *postal, *b, *data, *check;
} vector;

static const vector A9[] = {
    {"2630023", "3-30-8-403", "26300233-30-8-403", "5"},
    {"0140113", "60-1", "014011360-1", "CC8"},
    {"1100016", "5-6-3-10", "11000165-6-3-10", "9"},
    {"0600906", "4-6", "06009064-6", "9"},
    {"0650006", "8-10", "06500068-10", "9"},
    {"4070033", "400", "4070033400", "-"},
    {"2730102", "3-20-5B604", "27301023-20-5B604", "0"},
    {"1980036", "11-6-1-601", "198003611-6-1-601", "CC8"},
    {"0270203", "21-480", "027020321-480", "CC5"},
    {"5900016", "4-6-19", "59000164-6-19", "CC2"},
    {"0800831", "7-28", "08008317-28", "CC7"},
    {"3170055", "6-7-14-2", "31700556-7-14-2", "CC1"},
    {"6500046", "9-7-6A1-1", "65000469-7-6A1-1", "5"},
    {"6230011", "6-7LB106", "62300116-7LB106", "4"},
    {"2280024", "6-3454-5-6-1108", "22800246-3454-5-6-11", "2"},
    {"0640804", "29-1524-23-2-501", "064080429-1524-23-2-", "3"},
    {"9100067", "3-80-25J1-2B", "91000673-80-25J1-2+CC1", "9"},
    {"1000013", "1-3-2-503", "10000131-3-2-503", "9"},
    {"1008792", "", "1008792", "0"},       /* 大口事業所: individual number only */
    {"9808691", "215", "9808691215", "1"}, /* 私書箱 215 */
    {"1540023", "3-16-4-205", "15400233-16-4-205", "6"},
    {"3501106", "22-1A308", "350110622-1A308", "5"},
};

static void every_a9_vector_has_its_published_check_digit(void **state) {
  for (size_t i = 0; i < G_N_ELEMENTS(A9); i++) {
    tg_custbar bc;
    assert_int_equal(tg_custbar_encode_data(&bc, A9[i].postal, A9[i].b), TG_CUSTBAR_OK);
    if (strcmp(bc.data, A9[i].data) != 0 || strcmp(cd(&bc), A9[i].check) != 0)
      fail_msg("%s %s: got %s / %s", A9[i].postal, A9[i].b, bc.data, cd(&bc));
  }
}

static void the_check_digit_of_p21_is_computed_as_the_page_shows(void **state) {
  /* 1000013 1-3-2-503 + 4 x CC4: sum 6 + 43 + 56 = 105, 105 mod 19 = 10, cd 9 */
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "100-0013", "1-3-2-503", NULL, 0);
  unsigned sum = 0;
  for (int i = 1; i <= TG_CUSTBAR_DATA_LEN; i++)
    sum += bc.symbols[i];
  assert_int_equal(sum, 105);
  assert_int_equal(bc.check_digit, 9);
  assert_int_equal((sum + bc.check_digit) % 19, 0);
}

/* ---- bars ------------------------------------------------------------------- */

/* Bars decoded from libzint 2.11.1 (BARCODE_JAPANPOST, rows 0/1/2 of
 * encoded_data) for every vector zint can encode. */
static const struct {
  const char *data, *bars;
} ZINT[] = {
    {"26300233-30-8-403", "FDFDADAFDFAFTTFTTFDADFADFATFTDFAFTTTFTADFTFTFADFTTDFATDATDATDAFTFDF"},
    {"014011360-1", "FDFTTFFTFADFTTFFTFFTDFADAFFTTTFTFFTTDATDATDATDATDATDATDATDATDAFFFDF"},
    {"11000165-6-3-10", "FDFFTFFTFTTFTTFTTFFTDAFFTFTFTDAFTFTDFATFTFFTFTTTDATDATDATDATDATFFDF"},
    {"06009064-6", "FDFTTDAFFTTFTTTFFFTTDAFFADTFTDAFTDATDATDATDATDATDATDATDATDATDATFFDF"},
    {"06500068-10", "FDFTTDAFFTFFTTFTTFTTDAFADFTFTFFTFTTTDATDATDATDATDATDATDATDATDATFFDF"},
    {"4070033400", "FDFADFTTAFDFTTFTTDFADFAFADFTTFTTTDATDATDATDATDATDATDATDATDATDATFTDF"},
    {"27301023-20-5B604", "FDFDAAFDDFAFTTFFTFTTFDADFATFTFDAFTTTFTFTFDATFFTDAFFTTFADTDATDAFTTDF"},
    {"198003611-6-1-601", "FDFFTTFFADFFTTFTTDFADAFFFTFFTTFTDAFTFTFFTTFTDAFFTTFFTTDATDATDAFFFDF"},
    {"027020321-480", "FDFTTFDAAFDFTTFDAFTTDFAFDAFFTTFTFADADFFTTTDATDATDATDATDATDATDAATDDF"},
    {"59000164-6-19", "FDFTFTFFFTTFTTFTTFFTDAFFADTFTDAFTFTFFTTFFTDATDATDATDATDATDATDADTADF"},
    {"08008317-28", "FDFTTADFFTTFTTADFDFAFFTAFDTFTFDAADFTDATDATDATDATDATDATDATDATDATTFDF"},
    {"31700556-7-14-2", "FDDFAFFTAFDFTTFTTFTFFTFDAFTFTAFDTFTFFTFADTFTFDATDATDATDATDATDADATDF"},
    {"65000469-7-6A1-1", "FDDAFFTFFTTFTTFTTFADDAFTFFTFTAFDTFTDAFDATFTTFFTTFTFFTTDATDATDAFTFDF"},
    {"62300116-7LB106", "FDDAFFDADFAFTTFTTFFTFFTDAFTFTAFDDTAFFTDATFFTFFTFTTDAFTDATDATDAFADDF"},
    {"22800246-3454-5-6-11", "FDFDAFDAADFFTTFTTFDAFADDAFTFTDFAFADFTFFADTFTFTFTFTDAFTFTFFTFFTFDADF"},
    {"064080429-1524-23-2-", "FDFTTDAFFADFTTADFFTTFADFDATFFTFTFFTFTFFDAFADTFTFDADFATFTFDATFTDFADF"},
    {"10000131-3-2-503", "FDFFTFTTFTTFTTFTTFFTDFAFFTTFTDFATFTFDATFTFTFFTTDFATDATDATDATDATFFDF"},
    {"1008792", "FDFFTFTTFTTADFAFDTFFFDATDATDATDATDATDATDATDATDATDATDATDATDATDAFTTDF"},
    {"9808691215", "FDTFFADFFTTADFDAFTFFFFTFDAFFTFTFTDATDATDATDATDATDATDATDATDATDAFFTDF"},
    {"15400233-16-4-205", "FDFFTFTFFADFTTFTTFDADFADFATFTFFTDAFTFTFADTFTFDAFTTFTFTDATDATDADAFDF"},
    {"350110622-1A308", "FDDFAFTFFTTFFTFFTFTTDAFFDAFDATFTFFTDATFTTDFAFTTADFTDATDATDATDAFTFDF"},
};

static void bars_match_libzint_for_every_case_zint_can_encode(void **state) {
  for (size_t i = 0; i < G_N_ELEMENTS(ZINT); i++) {
    const char *data = ZINT[i].data;
    tg_custbar bc;
    /* the 22800246… vector is the cut of a longer address; zint gets the cut */
    char postal[8];
    g_strlcpy(postal, data, sizeof postal);
    assert_int_equal(tg_custbar_encode_data(&bc, postal, data + 7), TG_CUSTBAR_OK);
    if (strcmp(bc.bars, ZINT[i].bars) != 0) fail_msg("%s: %s", data, bc.bars);
  }
}

/* Bars grouped per symbol, as written in domain.md A.3. */
static char *grouped(const tg_custbar *bc) {
  GString *s = g_string_new(NULL);
  size_t k = 0;
  for (int i = 0; i < TG_CUSTBAR_SYMBOLS; i++) {
    size_t n = (i == 0 || i == TG_CUSTBAR_SYMBOLS - 1) ? 2 : 3;
    if (i) g_string_append_c(s, ' ');
    g_string_append_len(s, bc->bars + k, (gssize)n);
    k += n;
  }
  return g_string_free(s, FALSE);
}

static void bars_of_two_manual_examples_follow_the_table(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "2630023", "3丁目30-8　郵便ビル403号", NULL, 0);
  char *g = grouped(&bc);
  /* START 2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 | 5 STOP */
  assert_string_equal(g, "FD FDA DAF DFA FTT FTT FDA DFA DFA TFT DFA FTT TFT ADF TFT FAD FTT "
                         "DFA TDA TDA TDA FTF DF");
  g_free(g);
  /* the case zint refuses (error 477): CC1 alone at position 20, check digit 9 */
  tg_custbar_encode_b(&bc, "9100067", "3丁目80-25　J1ビル2-B", NULL, 0);
  g = grouped(&bc);
  /* START 9 1 0 0 0 6 7 3 - 8 0 - 2 5 CC1 9 1 - 2 CC1 | 9 STOP */
  assert_string_equal(g, "FD TFF FFT FTT FTT FTT DAF AFD DFA TFT ADF FTT TFT FDA FTF DAT TFF "
                         "FFT TFT FDA DAT TFF DF");
  g_free(g);
  assert_int_equal(strlen(bc.bars), TG_CUSTBAR_BARS);
}

static void every_value_has_one_pattern_and_no_two_values_share_one(void **state) {
  /* read value → pattern off many encodings: the check digits run through
   * all 19 values, letters give CC1–CC3, padding CC4 */
  char pattern[TG_CUSTBAR_CC8 + 1][4] = {{0}};
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (int n = 0; n < 400; n++) {
    char b[32];
    g_snprintf(b, sizeof b, "%d-%c%d", n, 'A' + n % 26, n % 7);
    tg_custbar bc;
    assert_int_equal(tg_custbar_encode_b(&bc, "0123456", b, NULL, 0), TG_CUSTBAR_OK);
    assert_memory_equal(bc.bars, "FD", 2);
    assert_string_equal(bc.bars + TG_CUSTBAR_BARS - 2, "DF");
    for (int i = 1; i < TG_CUSTBAR_SYMBOLS - 1; i++) {
      const char *bars = bc.bars + 2 + 3 * (i - 1);
      unsigned v = bc.symbols[i];
      if (!pattern[v][0]) {
        memcpy(pattern[v], bars, 3);
        char *p = g_strndup(bars, 3);
        assert_false(g_hash_table_contains(seen, p)); /* a new value, a new pattern */
        g_hash_table_add(seen, p);
      }
      assert_memory_equal(pattern[v], bars, 3);
    }
  }
  assert_int_equal(g_hash_table_size(seen), 19);
  g_hash_table_destroy(seen);
  assert_string_equal(tg_custbar_symbol_name(TG_CUSTBAR_START), "START");
  assert_string_equal(tg_custbar_symbol_name(TG_CUSTBAR_CC8), "CC8");
  assert_string_equal(tg_custbar_symbol_name(99), "?");
}

/* ---- A.2.2: the extraction rules ----------------------------------------------- */

static void the_a22_worked_results_are_reproduced(void **state) {
  static const char *const CASES[][2] = {
      {"3丁目30-8 郵便ビル403号", "3-30-8-403"},
      {"南田茂木 添60-1", "60-1"},
      {"5-6-3 ABCビル10F", "5-6-3-10"},
      {"4丁目 郵便センター6号館", "4-6"},
      {"韮崎400", "400"},
      {"東3丁目-20-5 郵便・A&bコーポB604号", "3-20-5B604"},
      {"第二十一地割大淵川480", "21-480"},
      {"29丁目1524-23 第2郵便ハウス501", "29-1524-23-2-501"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(CASES); i++) {
    tg_custbar bc;
    assert_string_equal(extracted(&bc, CASES[i][0]), CASES[i][1]);
  }
}

static void kanji_numerals_before_trigger_words_become_digits(void **state) {
  tg_custbar bc;
  assert_string_equal(extracted(&bc, "十一丁目六番地一号"), "11-6-1");
  assert_string_equal(extracted(&bc, "第二十一地割"), "21");
  assert_string_equal(extracted(&bc, "四丁六番十九号"), "4-6-19");
  assert_string_equal(extracted(&bc, "南七線"), "7");
  assert_string_equal(extracted(&bc, "百五番地"), "105");
  assert_string_equal(extracted(&bc, "千二百三十四番地"), "1234");
  assert_string_equal(extracted(&bc, "二〇五番地"), "205");       /* digit by digit */
  assert_string_equal(extracted(&bc, "壱丁目弐番参号"), "1-2-3"); /* old forms */
  assert_string_equal(extracted(&bc, "拾番地"), "10");
  assert_string_equal(extracted(&bc, "十丁目"), "10");
  assert_string_equal(extracted(&bc, "三ノ五番"), "3-5");
  assert_int_equal(bc.nwarnings, 0);
}

static void a_kanji_numeral_not_before_a_trigger_stays_and_is_flagged(void **state) {
  tg_custbar bc;
  /* 三の二: 三 before の becomes 3, の becomes "-", 二 is dropped (literal rule) */
  assert_string_equal(extracted(&bc, "三の二"), "3");
  assert_int_equal(bc.nwarnings, 1);
  assert_int_equal(bc.warnings[0].start, 2); /* 二 is character 3 */
  assert_int_equal(bc.warnings[0].len, 1);
  /* numerals standing alone are flagged: before "-", a space, the end */
  assert_string_equal(extracted(&bc, "3丁目五-二 見本荘"), "3");
  assert_int_equal(bc.nwarnings, 2);
  assert_int_equal(bc.warnings[0].start, 3); /* 五 */
  assert_int_equal(bc.warnings[1].start, 5); /* 二 */
  /* a bare 十/百/千 (names like 百合ヶ丘) is not flagged */
  assert_string_equal(extracted(&bc, "百合ヶ丘5"), "5");
  assert_int_equal(bc.nwarnings, 0);
  /* nor a numeral that begins a word: building names, often the town's */
  assert_string_equal(extracted(&bc, "5番 第一ビル3階"), "5-3");
  assert_int_equal(bc.nwarnings, 0);
  assert_string_equal(extracted(&bc, "7丁目14番18号　二ツ谷ヴィラ908号"), "7-14-18-908");
  assert_int_equal(bc.nwarnings, 0);
  assert_string_equal(extracted(&bc, "2996番地　ニュー三吉グリーンハイツ806号"), "2996-806");
  assert_int_equal(bc.nwarnings, 0);
  /* positions count characters of the whole address given to encode */
  const char *towns[] = {"緑町"};
  tg_custbar_encode(&bc, "2630023", "千葉市稲毛区緑町三の二", towns, 1);
  assert_string_equal(bc.extracted, "3");
  assert_int_equal(bc.nwarnings, 1);
  assert_int_equal(bc.warnings[0].start, 10);
}

static void a_floor_f_after_digits_is_not_extracted(void **state) {
  tg_custbar bc;
  assert_string_equal(extracted(&bc, "2F"), "2");
  assert_string_equal(extracted(&bc, "2F201号室"), "2-201");
  assert_string_equal(extracted(&bc, "A棟1F1号"), "A1-1");
  assert_string_equal(extracted(&bc, "9丁目7-6 郵便シティA棟1F1号"), "9-7-6A1-1");
  assert_string_equal(extracted(&bc, "6丁目7-14 ABCビル2F"), "6-7-14-2");
  assert_string_equal(extracted(&bc, "6丁目7-14 ABCビル2F201号室"), "6-7-14-2-201");
  assert_string_equal(extracted(&bc, "10f"), "10"); /* lower case is upper-cased first */
  /* an F that is not after digits is an ordinary letter */
  assert_string_equal(extracted(&bc, "F棟3号"), "F3");
  assert_string_equal(extracted(&bc, "3-F"), "3F");
}

static void letters_single_pairs_and_runs(void **state) {
  tg_custbar bc;
  assert_string_equal(extracted(&bc, "綾部6-7 LプラザB106"), "6-7LB106"); /* 補足ルール5 */
  assert_string_equal(extracted(&bc, "5-6-3 ABCビル"), "5-6-3");          /* run of 3: gone */
  assert_string_equal(extracted(&bc, "A&b棟5"), "5");                     /* & closes up: AB */
  assert_string_equal(extracted(&bc, "a.b5"), "5");
  assert_string_equal(extracted(&bc, "3丁目80-25 J1ビル2-B"), "3-80-25J1-2B");
  assert_string_equal(extracted(&bc, "B-2"), "B2");
  tg_custbar_encode_b(&bc, "1000013", "Z-1", NULL, 0);
  assert_string_equal(bc.data, "1000013Z1");
  assert_int_equal(bc.symbols[8], TG_CUSTBAR_CC1 + 2); /* Z = CC3 5 */
  assert_int_equal(bc.symbols[9], 5);
  tg_custbar_encode_b(&bc, "1000013", "L", NULL, 0);
  assert_int_equal(bc.symbols[8], TG_CUSTBAR_CC1 + 1); /* L = CC2 1 */
  assert_int_equal(bc.symbols[9], 1);
}

static void hyphens_and_blanks_collapse_and_trim(void **state) {
  tg_custbar bc;
  assert_string_equal(extracted(&bc, "-3--5"), "3-5");
  assert_string_equal(extracted(&bc, "3番地5号 "), "3-5");
  assert_string_equal(extracted(&bc, "3-5-"), "3-5"); /* our decision: no trailing "-" */
  assert_string_equal(extracted(&bc, "郵便ビル"), "");
  assert_string_equal(extracted(&bc, ""), "");
  assert_string_equal(extracted(&bc, "3ー5"), "3-5"); /* long vowel mark between numbers */
  assert_string_equal(extracted(&bc, "3‐5"), "3-5");  /* U+2010 */
}

static void full_width_text_is_normalised_before_the_rules(void **state) {
  tg_custbar bc;
  assert_string_equal(extracted(&bc, "３丁目３０－８　郵便ビル４０３号"), "3-30-8-403");
  assert_string_equal(extracted(&bc, "３−５"), "3-5"); /* U+2212 */
  assert_string_equal(extracted(&bc, "Ａ棟１Ｆ１号"), "A1-1");
  assert_string_equal(extracted(&bc, "ｂ＆ｃ棟５"), "5");
  assert_string_equal(extracted(&bc, "5･6"), "56"); /* half-width ・ deleted, closing up */
  assert_string_equal(extracted(&bc, "５／６"), "56");
  assert_string_equal(extracted(&bc, "ｺｰﾎﾟ3"), "3");
}

static void malformed_and_huge_input_is_handled(void **state) {
  tg_custbar bc;
  assert_string_equal(extracted(&bc, "3\xFF\xFE"
                                     "5"),
                      "3-5");
  GString *big = g_string_new(NULL);
  for (int i = 0; i < 5000; i++)
    g_string_append(big, "1番地");
  tg_custbar_encode_b(&bc, "1000013", big->str, NULL, 0);
  assert_int_equal(bc.status, TG_CUSTBAR_OK);
  assert_true(bc.truncated);
  assert_string_equal(bc.data, "10000131-1-1-1-1-1-1");
  assert_int_equal(strlen(bc.extracted), 63);
  g_string_free(big, TRUE);
}

/* ---- p20: 20 positions ---------------------------------------------------------- */

static void data_longer_than_20_positions_is_cut(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "2280024", "6丁目3454-5 郵便ハイツ6-1108", NULL, 0);
  assert_string_equal(bc.data, "22800246-3454-5-6-11"); /* a digit at 20 */
  assert_true(bc.truncated);
  tg_custbar_encode_b(&bc, "0640804", "29丁目1524-23 第2郵便ハウス501", NULL, 0);
  assert_string_equal(bc.data, "064080429-1524-23-2-"); /* a hyphen at 20 stays */
  assert_int_equal(bc.symbols[20], TG_CUSTBAR_HYPHEN);
  /* a letter at 21–22 is dropped whole */
  tg_custbar_encode_b(&bc, "1000013", "1234567890123A", NULL, 0);
  assert_string_equal(bc.data, "10000131234567890123");
  assert_true(bc.truncated);
  /* a letter at 19–20 fits exactly */
  tg_custbar_encode_b(&bc, "1000013", "12345678901A", NULL, 0);
  assert_string_equal(bc.data, "100001312345678901A");
  assert_false(bc.truncated);
  assert_int_equal(bc.symbols[19], TG_CUSTBAR_CC1);
  assert_int_equal(bc.symbols[20], 0);
  /* a letter at 20–21 keeps its control code only */
  tg_custbar_encode_b(&bc, "1000013", "123456789-12A", NULL, 0);
  assert_string_equal(bc.data, "1000013123456789-12+CC1");
  assert_true(bc.truncated);
  assert_int_equal(bc.symbols[20], TG_CUSTBAR_CC1);
  /* exactly 20 is not cut */
  tg_custbar_encode_b(&bc, "1000013", "12345678901-K", NULL, 0);
  assert_string_equal(bc.extracted, "12345678901K");
  assert_string_equal(bc.data, "100001312345678901K");
  assert_false(bc.truncated);
}

static void short_data_is_padded_with_cc4(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "4070033", "韮崎400", NULL, 0);
  for (int i = 11; i <= 20; i++)
    assert_int_equal(bc.symbols[i], TG_CUSTBAR_CC4);
  tg_custbar_encode_b(&bc, "1008792", NULL, NULL, 0); /* 大口事業所: 13 x CC4 */
  assert_string_equal(bc.data, "1008792");
  for (int i = 8; i <= 20; i++)
    assert_int_equal(bc.symbols[i], TG_CUSTBAR_CC4);
  assert_string_equal(cd(&bc), "0");
}

static void overridden_data_is_encoded_as_given(void **state) {
  tg_custbar bc;
  assert_int_equal(tg_custbar_encode_data(&bc, "6230011", "6-7lb106"), TG_CUSTBAR_OK);
  assert_string_equal(bc.data, "62300116-7LB106"); /* a letter pair stays */
  assert_int_equal(tg_custbar_encode_data(&bc, "6230011", "6丁目"), TG_CUSTBAR_BAD_DATA);
  assert_string_equal(bc.bars, "");
  assert_int_equal(tg_custbar_encode_data(&bc, "6230011", NULL), TG_CUSTBAR_OK);
  assert_string_equal(bc.data, "6230011");
}

/* ---- postal codes and 代表番号 -------------------------------------------------------- */

static void postal_codes_are_read_in_their_usual_spellings(void **state) {
  tg_custbar bc;
  const char *ok[] = {"2630023", "263-0023", "〒263-0023", "２６３－００２３", " 263-0023 "};
  for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
    assert_int_equal(tg_custbar_encode_b(&bc, ok[i], "1", NULL, 0), TG_CUSTBAR_OK);
    assert_string_equal(bc.postal, "2630023");
  }
  const char *bad[] = {"", "26300", "26300233", "2630-023", "263-0023x", "abcdefg", NULL};
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    assert_int_equal(tg_custbar_encode_b(&bc, bad[i], "1", NULL, 0), TG_CUSTBAR_BAD_POSTAL);
    assert_string_equal(bc.bars, "");
  }
}

static void representative_codes_get_no_barcode(void **state) {
  tg_custbar bc;
  assert_int_equal(tg_custbar_encode_b(&bc, "252-0000", "1-2", NULL, 0), TG_CUSTBAR_REPRESENTATIVE);
  assert_string_equal(bc.bars, "");
  const char *rep[] = {"以下に掲載がない場合"};
  /* 代表番号 that do not end in 0000 are known by their town */
  assert_int_equal(tg_custbar_encode(&bc, "0680400", "北海道夕張郡由仁町本町1", rep, 1),
                   TG_CUSTBAR_REPRESENTATIVE);
  assert_int_equal(tg_custbar_encode_b(&bc, "0680400", "1", rep, 1), TG_CUSTBAR_REPRESENTATIVE);
  assert_true(tg_custbar_is_representative("2520000", NULL, 0));
  assert_false(tg_custbar_is_representative("2520001", NULL, 0));
  assert_true(tg_custbar_is_representative("0680400", rep, 1));
  assert_string_equal(tg_custbar_status_reason(TG_CUSTBAR_REPRESENTATIVE),
                      "representative postal code (代表番号)");
}

/* ---- 住所A | 住所B ------------------------------------------------------------------------- */

static const char *b_of(const char *address, const char *town) {
  const char *towns[] = {town};
  size_t off;
  if (!tg_custbar_find_b(address, towns, 1, &off)) return NULL;
  return address + off;
}

static void the_address_is_split_after_the_town_name(void **state) {
  assert_string_equal(b_of("千葉市稲毛区緑町3丁目30-8 郵便ビル403号", "緑町"),
                      "3丁目30-8 郵便ビル403号"); /* 〇丁目 belongs to B */
  assert_string_equal(b_of("北海道札幌市東区北六条東4丁目　郵便センター6号館", "北六条東"),
                      "4丁目　郵便センター6号館");
  /* 台東 of 台東区 is the ward; the town comes after it */
  assert_string_equal(b_of("東京都台東区台東5-6-3", "台東"), "5-6-3");
  assert_string_equal(b_of("神奈川県相模原市中央区中央2丁目11-15", "中央"), "2丁目11-15");
  /* a building named after the town does not move the split */
  assert_string_equal(b_of("千葉市稲毛区緑町3丁目 緑町ハイツ2", "緑町"), "3丁目 緑町ハイツ2");
  /* the address without prefecture and city */
  assert_string_equal(b_of("緑町3-30-8", "緑町"), "3-30-8");
  assert_null(b_of("千葉市稲毛区小仲台1-1", "緑町"));
  assert_null(b_of("", "緑町"));
}

static void town_names_match_across_spelling_variants(void **state) {
  assert_string_equal(b_of("東京都千代田区霞ヶ関1丁目3番2号", "霞が関"), "1丁目3番2号");
  assert_string_equal(b_of("千葉県鎌ヶ谷市右京塚東3丁目", "右京塚"), "東3丁目");
  assert_string_equal(b_of("札幌市東区北6条東4丁目", "北六条東"), "4丁目");
  assert_string_equal(b_of("札幌市東区北６条東４丁目", "北六条東"), "４丁目");
  assert_string_equal(b_of("富山市市ノ瀬12", "市之瀬"), "12");
  assert_string_equal(b_of("千葉市稲毛区 緑 町3丁目", "緑町"), "3丁目");
}

static void ken_all_notes_in_town_names_are_understood(void **state) {
  assert_string_equal(b_of("北海道札幌市東区北六条東4丁目", "北六条東（１～７丁目）"), "4丁目");
  assert_string_equal(b_of("東京都利島村248", "利島村一円"), "248");
  assert_string_equal(b_of("山梨県北都留郡小菅村664", "小菅村の次に６６４番地以降がくる場合"),
                      "664");
  assert_string_equal(b_of("東京都千代田区霞が関1-3-2", "霞が関（次のビルを除く"), "1-3-2");
  assert_null(b_of("どこか1-2", "以下に掲載がない場合"));
}

static void of_several_towns_the_one_in_the_address_is_used(void **state) {
  const char *towns[] = {"本町", "緑町", "緑町南"};
  tg_custbar bc;
  assert_int_equal(tg_custbar_encode(&bc, "2630023", "千葉市稲毛区緑町南5-1", towns, 3),
                   TG_CUSTBAR_OK);
  assert_string_equal(bc.extracted, "5-1");
  assert_int_equal(bc.b_offset, strlen("千葉市稲毛区緑町南"));
}

static void an_address_without_its_town_gets_no_barcode(void **state) {
  const char *towns[] = {"緑町"};
  tg_custbar bc;
  assert_int_equal(tg_custbar_encode(&bc, "2630023", "千葉市稲毛区小仲台1-1", towns, 1),
                   TG_CUSTBAR_TOWN_NOT_FOUND);
  assert_string_equal(bc.bars, "");
  assert_int_equal(tg_custbar_encode(&bc, "2630023", "千葉市稲毛区緑町1-1", NULL, 0),
                   TG_CUSTBAR_TOWN_NOT_FOUND);
}

/* ---- diagnostics ------------------------------------------------------------------------- */

static void reports_name_the_row_and_never_the_address(void **state) {
  tg_diag *d = tg_diag_new();
  tg_custbar bc;
  const char *towns[] = {"緑町"};
  tg_custbar_encode(&bc, "2630023", "千葉市稲毛区緑町三の二　見本荘", towns, 1);
  tg_custbar_report(&bc, d, "list.csv", 7, "住所");
  tg_custbar_encode(&bc, "2630023", "千葉市稲毛区小仲台1-1", towns, 1);
  tg_custbar_report(&bc, d, "list.csv", 8, "住所");
  tg_custbar_encode_b(&bc, "2520000", "1", NULL, 0);
  tg_custbar_report(&bc, d, "list.csv", 9, "郵便番号");
  tg_custbar_encode_b(&bc, "25200", "1", NULL, 0);
  tg_custbar_report(&bc, d, "list.csv", 10, "郵便番号");
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "list.csv: row 7, column 住所: warning: the kanji numeral at "
                               "character 11 of the address"));
  assert_non_null(strstr(text, "[barcode.kanji-numeral]"));
  assert_non_null(strstr(text, "row 8, column 住所: warning: the address does not contain the "
                               "town name"));
  assert_non_null(strstr(text, "[barcode.town-not-found]"));
  assert_non_null(strstr(text, "row 9, column 郵便番号: note: the postal code is a representative "
                               "number (代表番号): no customer barcode [barcode.representative]"));
  assert_non_null(strstr(text, "[barcode.postal]"));
  assert_null(strstr(text, "見本"));
  assert_null(strstr(text, "小仲台"));
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_OK); /* the letters still go out */
  g_free(text);
  tg_diag_free(d);
}

/* ---- geometry ----------------------------------------------------------------------------- */

static double mm(double pt) { return pt * 25.4 / 72.0; }

/* Every dimension within the p12 tolerances, scaled by a/10; long bars never
 * taller than nominal; the box is 66 pitches + one bar. */
static void check_geometry(const tg_custbar *bc, const tg_custbar_geom *g, double a) {
  double s = a / 10, eps = 1e-9;
  assert_true(mm(g->long_pt) >= 3.40 * s - eps && mm(g->long_pt) <= 3.60 * s + eps);
  assert_true(mm(g->timing_pt) >= 1.05 * s - eps && mm(g->timing_pt) <= 1.35 * s + eps);
  assert_true(mm(g->pitch_pt) >= 0.95 * s - eps && mm(g->pitch_pt) <= 1.30 * s + eps);
  assert_true(mm(g->bar_pt) >= 0.50 * s - eps && mm(g->bar_pt) <= 0.70 * s + eps);
  double space = mm(g->pitch_pt - g->bar_pt);
  assert_true(space >= 0.45 * s - eps && space <= 0.60 * s + eps);
  assert_true(g->semi_pt > g->timing_pt && g->semi_pt < g->long_pt);
  assert_true(fabs(g->width_pt - (66 * g->pitch_pt + g->bar_pt)) < 1e-9);
  assert_true(fabs(g->height_pt - g->long_pt) < 1e-9);
  assert_true(fabs(mm(g->quiet_pt) - 2.0) < 1e-9);
  double mid = g->long_pt / 2;
  for (int i = 0; i < TG_CUSTBAR_BARS; i++) {
    const tg_custbar_rect *r = &g->bars[i];
    assert_true(fabs(r->x_pt - i * g->pitch_pt) < 1e-9);
    assert_true(fabs(r->w_pt - g->bar_pt) < 1e-9);
    bool up = r->y_pt < 1e-9, down = fabs(r->y_pt + r->h_pt - g->long_pt) < 1e-9;
    /* every bar covers the tracker band, centred */
    assert_true(r->y_pt <= mid - g->timing_pt / 2 + 1e-9);
    assert_true(r->y_pt + r->h_pt >= mid + g->timing_pt / 2 - 1e-9);
    switch (bc->bars[i]) {
    case 'F': assert_true(up && down); break;
    case 'A': assert_true(up && !down); break;
    case 'D': assert_true(!up && down); break;
    case 'T': assert_true(!up && !down && fabs(r->h_pt - g->timing_pt) < 1e-9); break;
    default: fail();
    }
  }
}

static void geometry_stays_within_tolerance_at_8_10_and_11_5_pt(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "2630023", "3丁目30-8 郵便ビル403号", NULL, 0);
  const double sizes[] = {8, 9, 10, 11, 11.5};
  const double dpis[] = {0, 300, 600, 1200, 2400};
  for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++)
    for (size_t j = 0; j < G_N_ELEMENTS(dpis); j++) {
      tg_custbar_geom g;
      assert_true(tg_custbar_geometry(&bc, sizes[i], dpis[j], &g, NULL));
      assert_true(g.size_pt == sizes[i]);
      check_geometry(&bc, &g, sizes[i]);
      if (dpis[j] == 0) {
        /* exact: bars a little wider than nominal, long bars below it */
        double s = sizes[i] / 10;
        assert_true(mm(g.bar_pt) > 0.60 * s);
        assert_true(mm(g.long_pt) < 3.60 * s);
        assert_true(fabs(mm(g.pitch_pt) - 1.20 * s) < 1e-9);
      } else {
        /* whole device pixels */
        double px = 72.0 / dpis[j];
        assert_true(fabs(g.pitch_pt / px - round(g.pitch_pt / px)) < 1e-6);
        assert_true(fabs(g.bar_pt / px - round(g.bar_pt / px)) < 1e-6);
        assert_true(fabs(g.long_pt / px - round(g.long_pt / px)) < 1e-6);
        assert_true(fabs(g.bars[1].y_pt / px - round(g.bars[1].y_pt / px)) < 1e-6);
      }
    }
}

static void the_symbol_at_10pt_measures_as_p12_says(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "1000013", "1-3-2-503", NULL, 0);
  tg_custbar_geom g;
  assert_true(tg_custbar_geometry(&bc, 10, 0, &g, NULL));
  /* 66 x 1.20 + 0.65 mm wide (p12: 79.80 with nominal 0.60 bars), 3.50 high */
  assert_true(fabs(mm(g.width_pt) - 79.85) < 1e-9);
  assert_true(fabs(mm(g.long_pt) - 3.50) < 1e-9);
  assert_true(fabs(mm(g.semi_pt) - 2.35) < 1e-9);
  /* 600 dpi: pitch 28 dots, bar 15 dots (domain.md A.4) */
  assert_true(tg_custbar_geometry(&bc, 10, 600, &g, NULL));
  assert_true(fabs(g.pitch_pt - 28 * 72.0 / 600) < 1e-9);
  assert_true(fabs(g.bar_pt - 15 * 72.0 / 600) < 1e-9);
  assert_true(fabs(g.timing_pt - 28 * 72.0 / 600) < 1e-9);
}

static void sizes_outside_8_to_11_5_pt_and_coarse_devices_are_refused(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "1000013", "1", NULL, 0);
  tg_custbar_geom g;
  tg_diag *d = tg_diag_new();
  assert_false(tg_custbar_geometry(&bc, 7.9, 0, &g, d));
  assert_false(tg_custbar_geometry(&bc, 11.6, 0, &g, d));
  assert_false(tg_custbar_geometry(&bc, 10, 72, &g, d)); /* a 0.35 mm dot: no valid bar */
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "between 8pt and 11.5pt [barcode.size]"));
  assert_non_null(strstr(text, "at 72 dpi the bars of a 10pt customer barcode cannot be drawn"));
  assert_non_null(strstr(text, "[barcode.dpi]"));
  g_free(text);
  tg_diag_free(d);
  tg_custbar_encode_b(&bc, "2520000", "1", NULL, 0); /* no barcode: nothing to lay out */
  assert_false(tg_custbar_geometry(&bc, 10, 0, &g, NULL));
}

/* fuzz_barcode: a resolution of 1e12 dpi made the pixel search run for minutes */
static void device_resolutions_outside_72_to_9600_dpi_are_refused_at_once(void **state) {
  tg_custbar bc;
  tg_custbar_encode_b(&bc, "1000013", "1", NULL, 0);
  tg_custbar_geom g;
  tg_diag *d = tg_diag_new();
  const double bad[] = {1e12, 9601, 71, -300, NAN, INFINITY};
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_false(tg_custbar_geometry(&bc, 10, bad[i], &g, d));
  assert_int_equal(tg_diag_count(d), G_N_ELEMENTS(bad));
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "between 72 and 9600 dpi [barcode.dpi]"));
  g_free(text);
  tg_diag_free(d);
  assert_true(tg_custbar_geometry(&bc, 10, 9600, &g, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_manual_example_gives_its_data_and_check_digit),
      cmocka_unit_test(the_manual_symbol_lists_are_reproduced_with_padding_and_control_codes),
      cmocka_unit_test(variants_seen_in_other_test_suites_give_the_same_data),
      cmocka_unit_test(every_a9_vector_has_its_published_check_digit),
      cmocka_unit_test(the_check_digit_of_p21_is_computed_as_the_page_shows),
      cmocka_unit_test(bars_match_libzint_for_every_case_zint_can_encode),
      cmocka_unit_test(bars_of_two_manual_examples_follow_the_table),
      cmocka_unit_test(every_value_has_one_pattern_and_no_two_values_share_one),
      cmocka_unit_test(the_a22_worked_results_are_reproduced),
      cmocka_unit_test(kanji_numerals_before_trigger_words_become_digits),
      cmocka_unit_test(a_kanji_numeral_not_before_a_trigger_stays_and_is_flagged),
      cmocka_unit_test(a_floor_f_after_digits_is_not_extracted),
      cmocka_unit_test(letters_single_pairs_and_runs),
      cmocka_unit_test(hyphens_and_blanks_collapse_and_trim),
      cmocka_unit_test(full_width_text_is_normalised_before_the_rules),
      cmocka_unit_test(malformed_and_huge_input_is_handled),
      cmocka_unit_test(data_longer_than_20_positions_is_cut),
      cmocka_unit_test(short_data_is_padded_with_cc4),
      cmocka_unit_test(overridden_data_is_encoded_as_given),
      cmocka_unit_test(postal_codes_are_read_in_their_usual_spellings),
      cmocka_unit_test(representative_codes_get_no_barcode),
      cmocka_unit_test(the_address_is_split_after_the_town_name),
      cmocka_unit_test(town_names_match_across_spelling_variants),
      cmocka_unit_test(ken_all_notes_in_town_names_are_understood),
      cmocka_unit_test(of_several_towns_the_one_in_the_address_is_used),
      cmocka_unit_test(an_address_without_its_town_gets_no_barcode),
      cmocka_unit_test(reports_name_the_row_and_never_the_address),
      cmocka_unit_test(geometry_stays_within_tolerance_at_8_10_and_11_5_pt),
      cmocka_unit_test(the_symbol_at_10pt_measures_as_p12_says),
      cmocka_unit_test(sizes_outside_8_to_11_5_pt_and_coarse_devices_are_refused),
      cmocka_unit_test(device_resolutions_outside_72_to_9600_dpi_are_refused_at_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
