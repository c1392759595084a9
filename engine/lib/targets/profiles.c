/* profiles.c — canonical columns and the column profiles of KDB lists.
 *
 * The catalogue names every column the engine knows (the names
 * gen_targets.py writes and the designs use: 氏名, 郵便番号, 収縮期血圧,
 * 1年前受診状況_高血圧症 …), what kind of value it holds, its sensible bounds,
 * and the header paths that mean it in real exports.  The validator picks its
 * checks from this catalogue by canonical name, so a list gets the same
 * checks whether it came with canonical headers or through a profile.
 *
 * A profile describes one KDB extraction list of the spec's annex
 * (健診ハイリスク者, 治療中断者): the column that finds the header row below
 * the title lines, the columns it knows, and the ones it cannot do without.
 * The annex lists have grouped headers over two or three rows; csv.c turns
 * each column's header cells into a path (特定健診受診歴 / R06) and matches
 * paths against the patterns here.  Patterns are folded like headers (spaces
 * dropped, full-width ASCII to ASCII); "a/b" means a column under a group
 * whose path contains a and ends with b; the last label may be followed by a
 * unit in parentheses ("収縮期血圧(mmHg)").
 */
#include "targets/targets_private.h"

#include <string.h>

#define P(...) ((const char *const[]){__VA_ARGS__, NULL})

static const targets_column_def CATALOGUE[] = {
    {"被保険者記号", TARGETS_COL_TEXT, 0, 0, NULL, P("被保険者記号")},
    {"被保険者番号", TARGETS_COL_TEXT, 0, 0, NULL, P("被保険者番号")},
    {"KDB個人番号", TARGETS_COL_KEY, 0, 0, NULL, P("KDB個人番号")},
    {"氏名", TARGETS_COL_NAME, 0, 0, NULL, P("氏名", "漢字氏名", "氏名(漢字)")},
    {"氏名カナ", TARGETS_COL_KANA, 0, 0, NULL, P("氏名カナ", "カナ氏名", "フリガナ", "氏名(カナ)")},
    {"性別", TARGETS_COL_SEX, 0, 0, NULL, P("性別")},
    {"年齢", TARGETS_COL_AGE, 0, 120, "歳", P("年齢")},
    {"生年月日", TARGETS_COL_DATE, 0, 0, NULL, P("生年月日")},
    {"郵便番号", TARGETS_COL_POSTAL, 0, 0, NULL, P("郵便番号", "〒")},
    {"住所", TARGETS_COL_ADDRESS, 0, 0, NULL, P("住所")},
    {"国保取得年月日", TARGETS_COL_DATE, 0, 0, NULL, P("国保取得年月日", "資格取得年月日")},
    {"国保喪失年月日", TARGETS_COL_DATE, 0, 0, NULL, P("国保喪失年月日", "資格喪失年月日")},
    {"収縮期血圧", TARGETS_COL_NUMBER, 60, 300, "mmHg", P("収縮期血圧")},
    {"拡張期血圧", TARGETS_COL_NUMBER, 30, 200, "mmHg", P("拡張期血圧")},
    {"空腹時血糖", TARGETS_COL_NUMBER, 20, 1000, "mg/dL", P("空腹時血糖")},
    {"HbA1c", TARGETS_COL_NUMBER, 3, 20, "%", P("HbA1c")},
    {"LDLコレステロール", TARGETS_COL_NUMBER, 10, 1000, "mg/dL",
     P("LDLコレステロール", "LDL-C", "LDL-コレステロール")},
    {"eGFR", TARGETS_COL_NUMBER, 1, 200, "mL/min/1.73m²", P("eGFR")},
    {"1年前受診状況_高血圧症", TARGETS_COL_MARK, 0, 0, NULL,
     P("1年前受診状況_高血圧症", "1年前対象疾病受診状況/高血圧症", "1年前受診状況/高血圧症")},
    {"1年前受診状況_糖尿病性を除く腎症", TARGETS_COL_MARK, 0, 0, NULL,
     P("1年前受診状況_糖尿病性を除く腎症", "1年前対象疾病受診状況/糖尿病性を除く腎症",
       "1年前受診状況/糖尿病性を除く腎症")},
    {"2年前受診状況_高血圧症", TARGETS_COL_MARK, 0, 0, NULL,
     P("2年前受診状況_高血圧症", "2年前対象疾病受診状況/高血圧症", "2年前受診状況/高血圧症")},
    {"2年前受診状況_糖尿病性を除く腎症", TARGETS_COL_MARK, 0, 0, NULL,
     P("2年前受診状況_糖尿病性を除く腎症", "2年前対象疾病受診状況/糖尿病性を除く腎症",
       "2年前受診状況/糖尿病性を除く腎症")},
    {"3年前受診状況_高血圧症", TARGETS_COL_MARK, 0, 0, NULL,
     P("3年前受診状況_高血圧症", "3年前対象疾病受診状況/高血圧症", "3年前受診状況/高血圧症")},
    {"3年前受診状況_糖尿病性を除く腎症", TARGETS_COL_MARK, 0, 0, NULL,
     P("3年前受診状況_糖尿病性を除く腎症", "3年前対象疾病受診状況/糖尿病性を除く腎症",
       "3年前受診状況/糖尿病性を除く腎症")},
};

/* Groups whose sub-columns hold ○/● marks; their columns are named
 * <group>_<sub-header>, e.g. 特定健診受診歴_R06, 医療機関受診歴_がん. */
static const char *const MARK_GROUPS[] = {"特定健診受診歴_", "医療機関受診歴_", "過去の該当状況_"};
static const targets_column_def MARK_GROUP_DEF = {"", TARGETS_COL_MARK, 0, 0, NULL, NULL};

static const targets_profile PROFILES[] = {
    {"kdb-highrisk", "健診ハイリスク者", "KDB個人番号",
     P("被保険者記号", "被保険者番号", "KDB個人番号", "氏名", "氏名カナ", "性別", "年齢",
       "生年月日", "郵便番号", "住所", "国保取得年月日", "国保喪失年月日", "収縮期血圧",
       "拡張期血圧", "空腹時血糖", "HbA1c", "LDLコレステロール", "eGFR"),
     P("KDB個人番号", "氏名", "生年月日", "住所", "収縮期血圧", "拡張期血圧", "空腹時血糖", "HbA1c",
       "LDLコレステロール", "eGFR")},
    {"kdb-dropout", "治療中断者", "KDB個人番号",
     P("被保険者記号", "被保険者番号", "KDB個人番号", "氏名", "氏名カナ", "性別", "年齢",
       "生年月日", "郵便番号", "住所", "国保取得年月日", "国保喪失年月日", "1年前受診状況_高血圧症",
       "1年前受診状況_糖尿病性を除く腎症", "2年前受診状況_高血圧症",
       "2年前受診状況_糖尿病性を除く腎症", "3年前受診状況_高血圧症",
       "3年前受診状況_糖尿病性を除く腎症"),
     P("KDB個人番号", "氏名", "生年月日", "住所", "1年前受診状況_高血圧症",
       "1年前受診状況_糖尿病性を除く腎症", "2年前受診状況_高血圧症",
       "2年前受診状況_糖尿病性を除く腎症", "3年前受診状況_高血圧症",
       "3年前受診状況_糖尿病性を除く腎症")},
};

static const char *const PROFILE_NAMES[] = {"kdb-highrisk", "kdb-dropout", NULL};

/* What a profile's selection criteria (spec 6(2), 6(3)) say of its columns'
 * values, beyond the catalogue: the high-risk list holds people with eGFR
 * 59 or less (below 60 covers every decimal written), and every row of it
 * has its eGFR and age.  The validator rejects such a row with an empty value
 * (data.required), so segment coverage can rely on it. */
typedef struct {
  const char *profile, *column;
  double min, max;
  bool max_open, filled;
} profile_domain;
static const profile_domain PROFILE_DOMAINS[] = {
    {"kdb-highrisk", "eGFR", 1, 60, true, true},
    {"kdb-highrisk", "年齢", 0, 120, false, true},
};

static const char *const MARK_WORDS[] = {"○", "●", NULL};
static const char *const SEX_WORDS[] = {"男", "女", "男性", "女性", "1", "2",
                                        "M",  "F",  "m",    "f",    NULL};

const char *tg_targets_profile_type(const char *profile) {
  const targets_profile *p = profile ? targets_profile_lookup(profile) : NULL;
  return p ? p->name + strlen("kdb-") : NULL;
}

const char *const *tg_targets_profile_columns(const char *profile) {
  const targets_profile *p = profile ? targets_profile_lookup(profile) : NULL;
  return p ? p->columns : NULL;
}

bool targets_profile_filled(const char *profile, const char *column) {
  for (size_t i = 0; profile && i < G_N_ELEMENTS(PROFILE_DOMAINS); i++)
    if (strcmp(PROFILE_DOMAINS[i].profile, profile) == 0 &&
        strcmp(PROFILE_DOMAINS[i].column, column) == 0)
      return PROFILE_DOMAINS[i].filled;
  return false;
}

void tg_targets_column_domain(const char *profile, const char *column, tg_column_domain *out) {
  memset(out, 0, sizeof *out);
  out->kind = TG_DOMAIN_TEXT;
  const targets_column_def *def = targets_column_lookup(column);
  if (def) switch (def->kind) {
    case TARGETS_COL_NUMBER:
      out->kind = TG_DOMAIN_NUMBER;
      out->min = def->min;
      out->max = def->max;
      break;
    case TARGETS_COL_AGE:
      out->kind = TG_DOMAIN_INTEGER;
      out->min = def->min;
      out->max = def->max;
      break;
    case TARGETS_COL_MARK:
      out->kind = TG_DOMAIN_WORDS;
      out->words = MARK_WORDS;
      break;
    case TARGETS_COL_SEX:
      out->kind = TG_DOMAIN_WORDS;
      out->words = SEX_WORDS;
      break;
    default: break;
    }
  for (size_t i = 0; profile && i < G_N_ELEMENTS(PROFILE_DOMAINS); i++) {
    const profile_domain *pd = &PROFILE_DOMAINS[i];
    if (strcmp(pd->profile, profile) != 0 || strcmp(pd->column, column) != 0) continue;
    out->min = pd->min;
    out->max = pd->max;
    out->max_open = pd->max_open;
    out->filled = pd->filled;
  }
}

const char *const *tg_targets_profile_names(void) { return PROFILE_NAMES; }

const targets_profile *targets_profile_lookup(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(PROFILES); i++)
    if (strcmp(PROFILES[i].name, name) == 0) return &PROFILES[i];
  return NULL;
}

const targets_column_def *targets_column_lookup(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(CATALOGUE); i++)
    if (strcmp(CATALOGUE[i].name, name) == 0) return &CATALOGUE[i];
  for (size_t i = 0; i < G_N_ELEMENTS(MARK_GROUPS); i++)
    if (g_str_has_prefix(name, MARK_GROUPS[i]) && strlen(name) > strlen(MARK_GROUPS[i]))
      return &MARK_GROUP_DEF;
  return NULL;
}

bool targets_label_is_legend(const char *label) {
  return strstr(label, "「") || strstr(label, "○") || strstr(label, "●") ||
         g_str_has_prefix(label, "※");
}

/* Does one folded label match one folded pattern label?  Equal, or the
 * pattern followed by a parenthesised unit. */
static bool label_matches(const char *label, const char *pat, size_t pat_len) {
  if (strncmp(label, pat, pat_len) != 0) return false;
  return label[pat_len] == '\0' || label[pat_len] == '(';
}

bool targets_path_matches(const char *const *labels, size_t nlabels, const char *pattern) {
  if (nlabels == 0) return false;
  /* split the pattern at '/' */
  const char *parts[8];
  size_t lens[8], np = 0;
  const char *p = pattern;
  for (;;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (np == G_N_ELEMENTS(parts)) return false;
    parts[np] = p;
    lens[np++] = n;
    if (!slash) break;
    p = slash + 1;
  }
  if (!label_matches(labels[nlabels - 1], parts[np - 1], lens[np - 1])) return false;
  /* the others, in order, among the labels above the leaf */
  size_t li = 0;
  for (size_t pi = 0; pi + 1 < np; pi++) {
    while (li + 1 < nlabels && !label_matches(labels[li], parts[pi], lens[pi]))
      li++;
    if (li + 1 >= nlabels) return false;
    li++;
  }
  return true;
}

/* The number after 該当者: "3人", "３人", "3名", spaces allowed.  True with
 * the number; false when the text does not start with one. */
static bool title_count(const char *s, size_t len, uint64_t *out) {
  GString *f = g_string_new(NULL);
  targets_fold(f, s, len);
  const char *p = f->str;
  uint64_t n = 0;
  int digits = 0;
  while (g_ascii_isdigit(*p) && digits < 9) {
    n = n * 10 + (uint64_t)(*p++ - '0');
    digits++;
  }
  bool ok = digits > 0 && (g_str_has_prefix(p, "人") || g_str_has_prefix(p, "名"));
  g_string_free(f, TRUE);
  if (ok) *out = n;
  return ok;
}

void targets_title_cell(targets_title *tt, const char *s, size_t len) {
  if (targets_is_blank(s, len)) return;
  if (!tt->have_date) tt->have_date = tg_date_find_list_date(s, len, &tt->first, &tt->last);
  if (tt->have_count) return;
  const char *word = "該当者";
  const char *at = g_strstr_len(s, (gssize)len, word);
  if (at) {
    const char *rest = at + strlen(word);
    size_t rest_len = len - (size_t)(rest - s);
    tt->have_count = title_count(rest, rest_len, &tt->count);
    tt->count_next = !tt->have_count && targets_is_blank(rest, rest_len);
  } else if (tt->count_next) {
    tt->have_count = title_count(s, len, &tt->count);
    tt->count_next = false;
  }
}
