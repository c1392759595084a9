/* mailing.c — the Japan Post mailing plan for the vendor: mailing-plan.csv
 * and mailing-plan.pdf (one A4 page), written with the reports when the job
 * has a `mailing:` section (docs/vendor-handoff.md says what the rules are
 * and where they come from).
 *
 * A posting (差出) is the letters of one municipality (one sender, one
 * 料金別納 mark) in the job's envelope and of one weight class: 定形25g,
 * 定形50g or 定形外 (postal/mailing.c).  A piece weighs envelope + sheets ×
 * sheet + insert and is envelope + sheets × panels × sheet + insert thick;
 * sheets are the letter's pages (with duplex: pages / 2), a sheet weighs the
 * paper's g/m² over the design's page size unless the job gives its grams.
 * For every posting the plan gives:
 *   - its pieces, by sheets (weight and thickness of each kind);
 *   - whether it qualifies for the customer-barcode discount: 定形, at most
 *     6 mm, 1,000 pieces or more, every piece with a barcode ("set-aside":
 *     it qualifies once the pieces without one, named by letter id, are
 *     posted apart);
 *   - whether it reaches 区分郵便物 (2,000 pieces), and its pieces per
 *     郵便区番号 (KEN_ALL column 2) in sorted order, split where a batch PDF
 *     ends, with the manifest's sequence numbers.
 * Pieces over the 定形 limits are not an error: they are planned as 定形外
 * and reported (mailing.teikeigai).  Everything derives from the manifest
 * in memory, so the plan reconciles with manifest.csv line for line, and it
 * is deterministic (sorted, no clock).
 */
#include "run/run_private.h"

#include <string.h>

#define PLAN_CSV "mailing-plan.csv"
#define PLAN_PDF "mailing-plan.pdf"

typedef struct {
  unsigned sheets;
  uint64_t pieces, barcoded;
  double weight_g, thickness_mm;
} weight_row;

typedef struct {
  char kubun[6];
  uint32_t batch;
  uint64_t pieces, barcoded, first, last; /* sequences */
} kubun_row;

typedef struct {
  const char *muni;
  tg_mail_class cls;
  uint64_t pieces, barcoded, no_design_barcode, too_thick, first, last;
  double weight_g, thickness_mm; /* the heaviest and thickest piece */
  GArray *weights;               /* weight_row */
  GArray *kubun;                 /* kubun_row */
  GHashTable *kubun_index;       /* "kubun\x1fbatch" -> index + 1 */
  GArray *missing;               /* guint: manifest index of pieces without a barcode */
  const char *barcode_verdict, *kubun_verdict;
} posting;

static void posting_free(gpointer p) {
  posting *x = p;
  g_array_free(x->weights, TRUE);
  g_array_free(x->kubun, TRUE);
  g_hash_table_destroy(x->kubun_index);
  g_array_free(x->missing, TRUE);
  g_free(x);
}

static const char *envelope_name(const tg_mailing_spec *m) {
  static const char *const names[][2] = {
      {"naga3", "長形3号"}, {"naga4", "長形4号"}, {"naga40", "長形40号"}, {"kaku2", "角形2号"}};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    if (strcmp(m->envelope, names[i][0]) == 0) return names[i][1];
  return "custom";
}

/* The weight of one sheet of plan p's letters: the job's grams, or the
 * paper's g/m² over the design's page. */
static double sheet_grams(const run_state *R, uint32_t plan_no) {
  const tg_mailing_spec *m = &R->job->mailing;
  if (m->sheet_g > 0) return m->sheet_g;
  double area_m2 = 0.210 * 0.297;
  const char *muni = run_plan_municipality(R, plan_no), *file = run_plan_list_file(R, plan_no);
  for (size_t i = 0; i < R->job->nmunis; i++) {
    const tg_municipality *mu = &R->job->munis[i];
    if (strcmp(mu->id, muni) != 0) continue;
    for (size_t k = 0; k < mu->nlists; k++) {
      const tg_design *ds =
          mu->lists[k].design ? g_hash_table_lookup(R->designs, mu->lists[k].design) : NULL;
      if (ds && strcmp(mu->lists[k].file, file) == 0)
        area_m2 = tg_pt_to_mm(ds->page_width_pt) * tg_pt_to_mm(ds->page_height_pt) / 1e6;
    }
  }
  return m->paper_gsm * area_m2;
}

static int posting_cmp(gconstpointer a, gconstpointer b) {
  const posting *x = *(posting *const *)a, *y = *(posting *const *)b;
  int c = strcmp(x->muni, y->muni);
  return c ? c : (int)x->cls - (int)y->cls;
}

static int kubun_cmp(gconstpointer a, gconstpointer b) {
  const kubun_row *x = a, *y = b;
  int c = strcmp(x->kubun, y->kubun);
  if (c) return c;
  return x->batch < y->batch ? -1 : x->batch > y->batch;
}

static int weight_cmp(gconstpointer a, gconstpointer b) {
  const weight_row *x = a, *y = b;
  return x->sheets < y->sheets ? -1 : x->sheets > y->sheets;
}

/* Every printed letter into its posting.  *derived counts postal codes whose
 * 郵便区 the dictionary does not give (first 3 digits used). */
static GPtrArray *build_postings(const run_state *R, uint64_t *derived) {
  const tg_mailing_spec *m = &R->job->mailing;
  GPtrArray *out = g_ptr_array_new_with_free_func(posting_free);
  GHashTable *index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  double *sheet_g = g_new0(double, R->plans->len + 1);
  for (guint p = 0; p < R->plans->len; p++)
    sheet_g[p] = sheet_grams(R, p);
  *derived = 0;
  for (guint i = 0; i < R->manifest->len; i++) {
    const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
    const run_letter *l = &g_array_index(R->letters, run_letter, e->letter);
    unsigned pages = (unsigned)e->page_count + e->blank_pages;
    unsigned sheets = R->job->output.duplex ? (pages + 1) / 2 : pages;
    tg_mail_piece pc = {.width_mm = m->envelope_w_mm,
                        .length_mm = m->envelope_l_mm,
                        .weight_g = m->envelope_g + sheets * sheet_g[l->plan] + m->insert_g,
                        .thickness_mm =
                            m->envelope_mm + sheets * m->panels * m->paper_mm + m->insert_mm};
    tg_mail_class cls = tg_mail_classify(&pc);
    const char *muni = run_plan_municipality(R, l->plan);
    char *key = g_strdup_printf("%s\x1f%d", muni, (int)cls);
    posting *ps = g_hash_table_lookup(index, key);
    if (!ps) {
      ps = g_new0(posting, 1);
      ps->muni = muni;
      ps->cls = cls;
      ps->first = i + 1;
      ps->weights = g_array_new(FALSE, TRUE, sizeof(weight_row));
      ps->kubun = g_array_new(FALSE, TRUE, sizeof(kubun_row));
      ps->kubun_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
      ps->missing = g_array_new(FALSE, FALSE, sizeof(guint));
      g_ptr_array_add(out, ps);
      g_hash_table_insert(index, key, ps);
    } else {
      g_free(key);
    }
    bool barcoded = e->barcode > 0;
    ps->pieces++;
    ps->barcoded += barcoded;
    ps->last = i + 1;
    if (e->barcode < 0) ps->no_design_barcode++;
    if (e->barcode == 0) g_array_append_val(ps->missing, i);
    if (!tg_mail_barcode_machinable(&pc)) ps->too_thick++;
    if (pc.weight_g > ps->weight_g) ps->weight_g = pc.weight_g;
    if (pc.thickness_mm > ps->thickness_mm) ps->thickness_mm = pc.thickness_mm;
    weight_row *w = NULL;
    for (guint k = 0; k < ps->weights->len && !w; k++)
      if (g_array_index(ps->weights, weight_row, k).sheets == sheets)
        w = &g_array_index(ps->weights, weight_row, k);
    if (!w) {
      weight_row nw = {sheets, 0, 0, pc.weight_g, pc.thickness_mm};
      g_array_append_val(ps->weights, nw);
      w = &g_array_index(ps->weights, weight_row, ps->weights->len - 1);
    }
    w->pieces++;
    w->barcoded += barcoded;
    /* its 郵便区 and batch */
    char code[8], kubun[6] = "";
    run_postal_text(l->postal, code);
    if (code[0] && !(R->postal && tg_postal_kubun(R->postal, code, kubun))) {
      g_strlcpy(kubun, code, 4);
      (*derived)++;
    }
    char *kkey = g_strdup_printf("%s\x1f%u", kubun, e->batch);
    guint at = GPOINTER_TO_UINT(g_hash_table_lookup(ps->kubun_index, kkey));
    if (!at) {
      kubun_row kr = {.batch = e->batch, .first = i + 1};
      g_strlcpy(kr.kubun, kubun, sizeof kr.kubun);
      g_array_append_val(ps->kubun, kr);
      at = ps->kubun->len;
      g_hash_table_insert(ps->kubun_index, kkey, GUINT_TO_POINTER(at));
    } else {
      g_free(kkey);
    }
    kubun_row *kr = &g_array_index(ps->kubun, kubun_row, at - 1);
    kr->pieces++;
    kr->barcoded += barcoded;
    kr->last = i + 1;
  }
  g_free(sheet_g);
  g_hash_table_destroy(index);
  g_ptr_array_sort(out, posting_cmp);
  for (guint i = 0; i < out->len; i++) {
    posting *ps = g_ptr_array_index(out, i);
    g_array_sort(ps->kubun, kubun_cmp);
    g_array_sort(ps->weights, weight_cmp);
    /* the barcode discount: machinable 定形, ≥ 1,000 pieces, all barcoded */
    bool shape = ps->cls != TG_MAIL_TEIKEIGAI && ps->too_thick == 0;
    if (shape && ps->barcoded == ps->pieces && ps->pieces >= TG_MAIL_BARCODE_MIN_PIECES)
      ps->barcode_verdict = "yes";
    else if (shape && ps->no_design_barcode == 0 && ps->barcoded >= TG_MAIL_BARCODE_MIN_PIECES)
      ps->barcode_verdict = "set-aside";
    else
      ps->barcode_verdict = "no";
    ps->kubun_verdict = ps->pieces >= TG_MAIL_KUBUN_MIN_PIECES ? "yes" : "no";
  }
  return out;
}

static void append_number(GString *o, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append(o, g_ascii_formatd(buf, sizeof buf, "%.1f", v));
}

static void append_mm(GString *o, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append(o, g_ascii_formatd(buf, sizeof buf, "%.2f", v));
}

/* One CSV row; NULL text fields are empty, numbers < 0 are empty. */
static void csv_row(GString *o, const char *section, guint posting_no, const posting *ps,
                    const char *envelope, const char *key, const char *batch, int64_t first,
                    int64_t last, uint64_t pieces, uint64_t barcoded, double g, double mm,
                    const char *bv, const char *kv) {
  g_string_append_printf(o, "%s,%u,", section, posting_no);
  tg_csv_append_field(o, ps->muni);
  g_string_append_c(o, ',');
  tg_csv_append_field(o, envelope);
  g_string_append_printf(o, ",%s,", tg_mail_class_name(ps->cls));
  tg_csv_append_field(o, key ? key : "");
  g_string_append_c(o, ',');
  tg_csv_append_field(o, batch ? batch : "");
  g_string_append_c(o, ',');
  if (first >= 0) g_string_append_printf(o, "%" G_GINT64_FORMAT, first);
  g_string_append_c(o, ',');
  if (last >= 0) g_string_append_printf(o, "%" G_GINT64_FORMAT, last);
  g_string_append_printf(o, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",", pieces, barcoded);
  if (g >= 0) append_number(o, g);
  g_string_append_c(o, ',');
  if (mm >= 0) append_mm(o, mm);
  g_string_append_printf(o, ",%s,%s\r\n", bv ? bv : "", kv ? kv : "");
}

static GString *plan_csv(const run_state *R, GPtrArray *postings) {
  const char *env = envelope_name(&R->job->mailing);
  GString *o = g_string_new("section,posting,municipality,envelope,class,key,batch_file,"
                            "first_sequence,last_sequence,pieces,barcoded,weight_g,"
                            "thickness_mm,barcode_discount,kubun_discount\r\n");
  for (guint p = 0; p < postings->len; p++) {
    const posting *ps = g_ptr_array_index(postings, p);
    csv_row(o, "posting", p + 1, ps, env, NULL, NULL, (int64_t)ps->first, (int64_t)ps->last,
            ps->pieces, ps->barcoded, ps->weight_g, ps->thickness_mm, ps->barcode_verdict,
            ps->kubun_verdict);
    for (guint k = 0; k < ps->weights->len; k++) {
      const weight_row *w = &g_array_index(ps->weights, weight_row, k);
      char key[16];
      g_snprintf(key, sizeof key, "%u", w->sheets);
      csv_row(o, "sheets", p + 1, ps, env, key, NULL, -1, -1, w->pieces, w->barcoded, w->weight_g,
              w->thickness_mm, NULL, NULL);
    }
    for (guint k = 0; k < ps->kubun->len; k++) {
      const kubun_row *kr = &g_array_index(ps->kubun, kubun_row, k);
      const run_batch *b = &g_array_index(R->batches, run_batch, kr->batch);
      csv_row(o, "kubun", p + 1, ps, env, kr->kubun, b->name, (int64_t)kr->first, (int64_t)kr->last,
              kr->pieces, kr->barcoded, -1, -1, NULL, NULL);
    }
    for (guint k = 0; k < ps->missing->len; k++) {
      guint i = g_array_index(ps->missing, guint, k);
      const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
      const run_letter *l = &g_array_index(R->letters, run_letter, e->letter);
      char id[64];
      run_letter_id(R, l, id, sizeof id);
      const run_batch *b = &g_array_index(R->batches, run_batch, e->batch);
      csv_row(o, "no-barcode", p + 1, ps, env, id, b->name, i + 1, i + 1, 1, 0, -1, -1, NULL, NULL);
    }
  }
  return o;
}

/* ---- the page ------------------------------------------------------------------ */

typedef struct {
  tg_layout_ctx *ctx;
  GArray *items;
  double y_pt;
  bool ok;
  tg_diag *d;
} page_writer;

#define LEFT_PT  tg_mm_to_pt(15)
#define WIDTH_PT tg_mm_to_pt(180)
#define FOOT_PT  tg_mm_to_pt(272) /* where the notes at the bottom start */
/* what a line of 郵便区 at 7.5 pt holds, and a little less */
#define KUBUN_LINE_BYTES 90

/* A line (or paragraph) at x, moving y down unless `keep_y`. */
static double put(page_writer *w, double x_pt, double width_pt, double size_pt, int weight,
                  const char *text, size_t max_lines, bool keep_y) {
  if (!w->ok) return 0;
  tg_frame_spec fs = {.family = "BIZ UDPGothic",
                      .weight = weight,
                      .size_pt = size_pt,
                      .line_height = 1.3,
                      .x_pt = x_pt,
                      .y_pt = w->y_pt,
                      .width_pt = width_pt,
                      .max_lines = max_lines,
                      .min_size_pt = max_lines ? 5 : 0};
  const tg_item *it;
  size_t n;
  double h = 0;
  w->ok = tg_layout_frame(w->ctx, &fs, text, "mailing plan", &it, &n, &h, w->d);
  if (w->ok) g_array_append_vals(w->items, it, (guint)n);
  if (!keep_y) w->y_pt += h;
  return h;
}

static void rule(page_writer *w, double width_pt) {
  tg_item line = {.type = TG_ITEM_LINE,
                  .block = "mailing plan",
                  .x_pt = LEFT_PT,
                  .y_pt = w->y_pt,
                  .color = 0x000000FF};
  line.u.line.x2_pt = LEFT_PT + WIDTH_PT;
  line.u.line.y2_pt = w->y_pt;
  line.u.line.width_pt = width_pt;
  g_array_append_val(w->items, line);
  w->y_pt += 3;
}

static char *fmt1(double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.1f", v));
}

static char *fmt2(double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.2f", v));
}

/* The barcode discount in a few words, with the reason it is refused. */
static const char *verdict_ja(const posting *ps) {
  if (strcmp(ps->barcode_verdict, "yes") == 0) return "可";
  if (strcmp(ps->barcode_verdict, "set-aside") == 0) return "可（無しの分を別差出）";
  if (ps->cls == TG_MAIL_TEIKEIGAI) return "不可（定形外）";
  if (ps->too_thick) return "不可（厚さ 6 mm 超）";
  if (ps->no_design_barcode) return "不可（バーコード無し）";
  return "不可（1,000 通未満）";
}

/* One table row of the postings: cells at fixed columns. */
static void table_row(page_writer *w, const char *const *cells, int weight) {
  static const double col_mm[] = {0, 10, 26, 42, 56, 74, 102, 144};
  static const double width_mm[] = {10, 16, 16, 14, 18, 28, 42, 36};
  for (size_t c = 0; c < G_N_ELEMENTS(col_mm); c++)
    put(w, LEFT_PT + tg_mm_to_pt(col_mm[c]), tg_mm_to_pt(width_mm[c]) - 2, 8, weight, cells[c], 1,
        true);
  w->y_pt += 8 * 1.3 + 2;
}

static bool plan_page(const run_state *R, GPtrArray *postings, uint64_t derived, const char *path,
                      tg_diag *d) {
  const tg_mailing_spec *m = &R->job->mailing;
  char date[32];
  tg_pdf_date(R->job->date, date, sizeof date);
  tg_pdf_options po = {.title = "郵便差出計画", .subject = R->job->id, .date = date};
  if (!tg_create_private(path, d)) return false;
  tg_sink *pdf = tg_sink_pdf_new(path, &po, d);
  if (!pdf) return false;
  page_writer w = {tg_layout_ctx_new(R->fonts), g_array_new(FALSE, TRUE, sizeof(tg_item)),
                   tg_mm_to_pt(15), true, d};
  GString *s = g_string_new(NULL);
  g_string_printf(s, "郵便差出計画（日本郵便）　%s　%s", R->job->id, R->job->date);
  put(&w, LEFT_PT, WIDTH_PT, 13, 700, s->str, 1, false);
  w.y_pt += 4;
  uint64_t total = 0;
  for (guint p = 0; p < postings->len; p++)
    total += ((posting *)g_ptr_array_index(postings, p))->pieces;
  char *eg = fmt1(m->envelope_g), *emm = fmt2(m->envelope_mm), *pmm = fmt2(m->paper_mm),
       *ig = fmt1(m->insert_g);
  char *sg = m->sheet_g > 0 ? fmt1(m->sheet_g) : fmt1(m->paper_gsm);
  char folds[32] = "折らず";
  if (m->panels > 1) g_snprintf(folds, sizeof folds, "%u つ折り", m->panels);
  g_string_printf(s,
                  "封筒 %s（%d×%d mm）%s g・%s mm／用紙 %s %s・厚さ %s mm・%s／同封物 %s "
                  "g／%s%" G_GUINT64_FORMAT " 通、%u 差出",
                  envelope_name(m), (int)(m->envelope_w_mm + 0.5), (int)(m->envelope_l_mm + 0.5),
                  eg, emm, sg, m->sheet_g > 0 ? "g/枚" : "g/m²", pmm, folds, ig,
                  R->job->output.duplex ? "両面印刷／" : "", total, postings->len);
  g_free(eg);
  g_free(emm);
  g_free(pmm);
  g_free(ig);
  g_free(sg);
  put(&w, LEFT_PT, WIDTH_PT, 9, 400, s->str, 2, false);
  w.y_pt += 4;
  rule(&w, 0.8);
  static const char *const heads[] = {"差出",           "市町村",       "種別",
                                      "通数",           "バーコード付", "最大 重量・厚さ",
                                      "バーコード割引", "区分郵便物"};
  table_row(&w, heads, 700);
  rule(&w, 0.3);
  for (guint p = 0; p < postings->len && w.ok; p++) {
    const posting *ps = g_ptr_array_index(postings, p);
    if (w.y_pt > FOOT_PT - 60) { /* the page is full: the CSV has the rest */
      g_string_printf(s, "ほか %u 差出（mailing-plan.csv）", postings->len - p);
      put(&w, LEFT_PT, WIDTH_PT, 8, 400, s->str, 1, false);
      break;
    }
    char no[16], pieces[32], bc[32];
    g_snprintf(no, sizeof no, "%u", p + 1);
    g_snprintf(pieces, sizeof pieces, "%" G_GUINT64_FORMAT, ps->pieces);
    g_snprintf(bc, sizeof bc, "%" G_GUINT64_FORMAT, ps->barcoded);
    char *g = fmt1(ps->weight_g), *mm = fmt2(ps->thickness_mm);
    char *wt = g_strdup_printf("%s g・%s mm", g, mm);
    char *kv = g_strdup_printf("%s（%s）", ps->kubun_verdict[0] == 'y' ? "可" : "不可",
                               ps->kubun_verdict[0] == 'y' ? "2,000 通以上" : "2,000 通未満");
    const char *cells[] = {
        no, ps->muni, tg_mail_class_name(ps->cls), pieces, bc, wt, verdict_ja(ps), kv};
    table_row(&w, cells, 400);
    g_free(g);
    g_free(mm);
    g_free(wt);
    g_free(kv);
  }
  rule(&w, 0.8);
  w.y_pt += 4;
  /* per posting: sheets, 郵便区 with batch boundaries, pieces without a barcode */
  for (guint p = 0; p < postings->len && w.ok && w.y_pt < FOOT_PT - 40; p++) {
    const posting *ps = g_ptr_array_index(postings, p);
    g_string_printf(s, "差出 %u（%s %s）", p + 1, ps->muni, tg_mail_class_name(ps->cls));
    for (guint k = 0; k < ps->weights->len; k++) {
      const weight_row *wr = &g_array_index(ps->weights, weight_row, k);
      char *g = fmt1(wr->weight_g);
      g_string_append_printf(s, "%s%u 枚 %s g: %" G_GUINT64_FORMAT " 通", k ? "、" : "　",
                             wr->sheets, g, wr->pieces);
      g_free(g);
    }
    put(&w, LEFT_PT, WIDTH_PT, 9, 700, s->str, 2, false);
    /* 252: 640 (…_001: 500 | …_002: 140) where a 郵便区 runs over a batch's end */
    g_string_assign(s, "郵便区番号順: ");
    /* the room left, shared by the postings still to come */
    int lines = (int)((FOOT_PT - 10 - w.y_pt) / (postings->len - p) / (7.5 * 1.3)) - 4;
    lines = lines < 2 ? 2 : lines > 40 ? 40 : lines;
    guint shown = 0, total_kubun = 0;
    for (guint k = 0; k < ps->kubun->len; k++)
      total_kubun += k == 0 || strcmp(g_array_index(ps->kubun, kubun_row, k).kubun,
                                      g_array_index(ps->kubun, kubun_row, k - 1).kubun) != 0;
    for (guint k = 0; k < ps->kubun->len && s->len < (gsize)lines * KUBUN_LINE_BYTES; shown++) {
      const kubun_row *kr = &g_array_index(ps->kubun, kubun_row, k);
      guint end = k;
      uint64_t n = 0;
      while (end < ps->kubun->len &&
             !strcmp(g_array_index(ps->kubun, kubun_row, end).kubun, kr->kubun))
        n += g_array_index(ps->kubun, kubun_row, end++).pieces;
      g_string_append_printf(s, "%s%s: %" G_GUINT64_FORMAT, k ? "、" : "",
                             kr->kubun[0] ? kr->kubun : "（なし）", n);
      for (guint j = k; end - k > 1 && j < end; j++) {
        const kubun_row *x = &g_array_index(ps->kubun, kubun_row, j);
        const char *b = g_array_index(R->batches, run_batch, x->batch).name;
        g_string_append_printf(s, "%s%.*s: %" G_GUINT64_FORMAT, j == k ? "（" : " | ",
                               (int)strlen(b) - 4, b, x->pieces);
      }
      if (end - k > 1) g_string_append(s, "）");
      k = end;
    }
    if (shown < total_kubun)
      g_string_append_printf(s, "　ほか %u 郵便区（mailing-plan.csv）", total_kubun - shown);
    put(&w, LEFT_PT + 8, WIDTH_PT - 8, 7.5, 400, s->str, (size_t)lines + 2, false);
    if (ps->missing->len) {
      g_string_printf(s, "カスタマバーコードの無い %u 通（別差出）: ", ps->missing->len);
      for (guint k = 0; k < ps->missing->len && k < 12; k++) {
        guint i = g_array_index(ps->missing, guint, k);
        const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
        char id[64];
        run_letter_id(R, &g_array_index(R->letters, run_letter, e->letter), id, sizeof id);
        g_string_append_printf(s, "%s%s", k ? "、" : "", id);
      }
      if (ps->missing->len > 12) g_string_append(s, " ほか（mailing-plan.csv）");
      put(&w, LEFT_PT + 8, WIDTH_PT - 8, 7.5, 400, s->str, 3, false);
    } else if (ps->no_design_barcode) {
      put(&w, LEFT_PT + 8, WIDTH_PT - 8, 7.5, 400,
          "この差出の文書にはカスタマバーコードがありません", 1, false);
    }
    w.y_pt += 3;
  }
  /* the rules, at the foot */
  w.y_pt = FOOT_PT;
  rule(&w, 0.3);
  g_string_assign(
      s, "定形: 90–120×140–235 mm・厚さ 10 mm・50 g 以内（25 g／50 g）、超えるものは定形外。"
         "バーコード割引: 定形で厚さ 6 mm 以内、同一形状・重量 1,000 通以上、全通に"
         "カスタマバーコード。区分郵便物: 2,000 通以上、郵便区番号順。詳細と出典は "
         "docs/vendor-handoff.md。全件は mailing-plan.csv。");
  if (derived)
    g_string_append(s, "郵便区番号は郵便番号辞書の2列目が空のため郵便番号の上3桁（KEN_ALL.CSV "
                       "で確認のこと）。");
  put(&w, LEFT_PT, WIDTH_PT, 7, 400, s->str, 4, false);
  tg_page page = {tg_mm_to_pt(210), tg_mm_to_pt(297), NULL, w.items->len,
                  (const tg_item *)w.items->data};
  bool ok = w.ok && tg_sink_page(pdf, &page, d);
  ok = tg_sink_close(pdf, d) && ok;
  tg_sink_free(pdf);
  g_string_free(s, TRUE);
  g_array_free(w.items, TRUE);
  tg_layout_ctx_free(w.ctx);
  return ok;
}

bool run_write_mailing_plan(run_state *R) {
  const tg_mailing_spec *m = &R->job->mailing;
  if (!m->enabled) return true;
  if (R->opt->shard_count > 1) {
    tg_diag_add(R->d, TG_NOTE, TG_KIND_SCHEMA, "mailing.sharded",
                "a shard writes no mailing plan: the postings are the whole job's (run unsharded "
                "for the plan)");
    return true;
  }
  uint64_t derived = 0;
  GPtrArray *postings = build_postings(R, &derived);
  for (guint p = 0; p < postings->len; p++) {
    const posting *ps = g_ptr_array_index(postings, p);
    if (ps->cls == TG_MAIL_TEIKEIGAI)
      tg_diag_add(R->d, TG_WARNING, TG_KIND_DATA, "mailing.teikeigai",
                  "posting %u (municipality %s): %" PRIu64
                  " letters are larger, thicker or heavier than 定形 (50 g, 10 mm): they are "
                  "planned as 定形外 and get no barcode discount",
                  p + 1, ps->muni, ps->pieces);
    else if (ps->too_thick)
      tg_diag_add(R->d, TG_WARNING, TG_KIND_DATA, "mailing.thick",
                  "posting %u (municipality %s): %" PRIu64
                  " letters are thicker than 6 mm: the posting gets no barcode discount",
                  p + 1, ps->muni, ps->too_thick);
  }
  if (derived)
    tg_diag_add(R->d, TG_NOTE, TG_KIND_DATA, "mailing.kubun-derived",
                "the postal dictionary gives no 郵便区番号 (column 2) for %" PRIu64
                " letters: the mailing plan takes the first 3 digits of their postal code (use "
                "Japan Post's KEN_ALL.CSV for 区分郵便物)",
                derived);
  GString *csv = plan_csv(R, postings);
  char *path = g_build_filename(R->stage_dir, PLAN_CSV, NULL);
  tg_atomic *a = tg_atomic_open(path, R->d);
  bool ok = a != NULL;
  if (ok) {
    fwrite(csv->str, 1, csv->len, tg_atomic_get_file(a));
    ok = tg_atomic_commit(a, R->d);
  }
  g_free(path);
  g_string_free(csv, TRUE);
  if (ok) g_ptr_array_add(R->outputs, g_strdup(PLAN_CSV));
  path = g_build_filename(R->stage_dir, PLAN_PDF, NULL);
  ok = ok && plan_page(R, postings, derived, path, R->d) &&
       (!R->password || tg_pdf_encrypt(path, R->password, R->d));
  if (ok) g_ptr_array_add(R->outputs, g_strdup(PLAN_PDF));
  g_free(path);
  g_ptr_array_free(postings, TRUE);
  return ok;
}

/* ---- letters in 郵便区 order ---------------------------------------------------- */

typedef struct {
  GHashTable *order; /* postal + 1 -> 郵便区 order: "252" < "25200" < "25201" < "253" */
  int (*group_cmp)(const run_letter *, const run_letter *);
} kubun_sort;

static int kubun_letter_cmp(gconstpointer a, gconstpointer b, gpointer data) {
  const run_letter *x = a, *y = b;
  const kubun_sort *ks = data;
  int g = ks->group_cmp(x, y);
  if (g) return g;
  guint kx = GPOINTER_TO_UINT(g_hash_table_lookup(ks->order, GUINT_TO_POINTER(x->postal)));
  guint ky = GPOINTER_TO_UINT(g_hash_table_lookup(ks->order, GUINT_TO_POINTER(y->postal)));
  if (kx != ky) return kx < ky ? -1 : 1;
  if (x->postal != y->postal) return x->postal < y->postal ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

bool run_sort_by_kubun(run_state *R, int (*group_cmp)(const run_letter *, const run_letter *)) {
  if (!R->postal) return false;
  kubun_sort ks = {g_hash_table_new(g_direct_hash, g_direct_equal), group_cmp};
  bool five = false;
  for (guint i = 0; i < R->letters->len; i++) {
    uint32_t postal = g_array_index(R->letters, run_letter, i).postal;
    if (!postal || g_hash_table_contains(ks.order, GUINT_TO_POINTER(postal))) continue;
    char code[8], k[6];
    run_postal_text(postal, code);
    tg_postal_kubun(R->postal, code, k); /* or its first 3 digits */
    /* 252 → 252000, 25200 → 252001, 25201 → 252002: 3 digits before the
     * 5-digit 郵便区 that start with them, as strcmp orders them */
    guint v = (guint)g_ascii_strtoull(k, NULL, 10), order = v * 1000;
    if (strlen(k) == 5) {
      five = true;
      order = v / 100 * 1000 + v % 100 + 1;
    }
    g_hash_table_insert(ks.order, GUINT_TO_POINTER(postal), GUINT_TO_POINTER(order + 1));
  }
  if (five) g_array_sort_with_data(R->letters, kubun_letter_cmp, &ks);
  g_hash_table_destroy(ks.order);
  return five;
}
