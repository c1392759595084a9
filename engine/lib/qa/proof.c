/* proof.c — `tegami proof`: every variant × segment × arm of a design, drawn
 * for sample personas, as PDF and PNG, with a page that compares them.
 *
 * Part of the qa stage.  Designers and municipal staff review letters
 * before a run: tg_proof() reads a personas file (synthetic rows grouped by
 * list type, and the municipality's profile for {{sender.*}} and
 * {{municipality.*}}), compiles the design against each type's columns, and
 * renders every persona in every variant and every experiment arm — the
 * persona's row decides its segment, exactly as in a run, so a persona that
 * no segment claims is an error here too.  For each letter it writes
 * pages/<id>.pdf and pages/<id>-NNNN.png; index.html shows a persona's
 * letters side by side (standard | easy, loss | gain) and marks what differs
 * between them, token by token (runs of kanji, kana, Latin letters and
 * digits, single punctuation marks), computed from the glyph runs of the
 * layout — the text the reader sees.  The page is self-contained: inline CSS
 * and script, relative image paths, no font, script or style from anywhere
 * else, so it opens from disk with no server and no network.  When every
 * image has loaded (or failed), the page sets data-state="complete" with
 * the counts on <body> and in its title, so a headless browser can check it.
 *
 * Output folder: created 0700, files 0600 like a run's.  An existing
 * index.html is replaced only with force; the pages/ folder is then
 * replaced as a whole.
 */
#include "qa/qa_private.h"

#include <math.h>
#include <string.h>

#define MAX_PERSONAS_BYTES (1u << 20)
#define MAX_PERSONAS       200
#define MAX_DIFF_CELLS     (24u << 20)

static const char *const TOP_KEYS[] = {"kind", "date", "municipality", "personas"};
static const char *const MUNI_KEYS[] = {"id", "name", "sender", "values"};
static const char *const PERSONA_KEYS[] = {"id", "note", "row"};

/* ---- the personas file -------------------------------------------------------------------- */

typedef struct {
  const char *id, *note;
  char **fields; /* one per column of its group ("" when the persona has none) */
  size_t *lengths;
  tg_ynode *node;
} persona;

typedef struct {
  const char *type;
  GPtrArray *columns;  /* const char* (borrowed from the YAML tree) */
  GPtrArray *personas; /* persona* */
} group;

typedef struct {
  tg_source *src;
  tg_ydoc *doc;
  const char *path;
  const char *date;
  const char *muni_id, *muni_name;
  tg_values *values; /* municipality.*, sender.* */
  GPtrArray *groups; /* group* */
} personas_file;

static void persona_free(gpointer p) {
  persona *x = p;
  if (!x) return;
  g_strfreev(x->fields);
  g_free(x->lengths);
  g_free(x);
}

static void group_free(gpointer p) {
  group *g = p;
  if (!g) return;
  g_ptr_array_free(g->columns, TRUE);
  g_ptr_array_free(g->personas, TRUE);
  g_free(g);
}

static void personas_free(personas_file *pf) {
  if (!pf) return;
  if (pf->groups) g_ptr_array_free(pf->groups, TRUE);
  tg_values_free(pf->values);
  tg_ydoc_free(pf->doc);
  tg_source_free(pf->src);
  g_free(pf);
}

static bool valid_id(const char *s) {
  if (!*s) return false;
  for (const char *p = s; *p; p++)
    if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '-')) return false;
  return true;
}

static personas_file *personas_load(const char *path, tg_diag *d) {
  size_t errors = tg_diag_count_at_least(d, TG_ERROR);
  personas_file *pf = g_new0(personas_file, 1);
  pf->path = path;
  pf->values = tg_values_new();
  pf->groups = g_ptr_array_new_with_free_func(group_free);
  pf->src = tg_source_load(path, MAX_PERSONAS_BYTES, d);
  pf->doc = pf->src ? tg_ydoc_parse(pf->src, d) : NULL;
  tg_ynode *root = pf->doc ? tg_ydoc_get_root(pf->doc) : NULL;
  if (!root || !tg_yexpect_map(root, "a personas file", d)) {
    personas_free(pf);
    return NULL;
  }
  const char *kind = NULL;
  if (tg_yget_string(root, "kind", true, &kind, d) && strcmp(kind, "personas") != 0)
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "proof.personas",
               tg_ynode_span(tg_ymap_get(root, "kind")),
               "this file is a '%s', not a personas file (expected kind: personas)", kind);
  pf->date = "";
  if (tg_yget_string(root, "date", true, &pf->date, d) && !tg_job_date_valid(pf->date))
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "proof.personas",
               tg_ynode_span(tg_ymap_get(root, "date")),
               "'date' is the letter date, written YYYY-MM-DD");
  tg_ynode *mu = tg_yget_map(root, "municipality", true, d);
  pf->muni_id = "";
  pf->muni_name = "";
  if (mu) {
    tg_yget_string(mu, "id", true, &pf->muni_id, d);
    tg_yget_string(mu, "name", true, &pf->muni_name, d);
    tg_values_set(pf->values, "municipality.id", pf->muni_id);
    tg_values_set(pf->values, "municipality.name", pf->muni_name);
    tg_job_load_values(tg_yget_map(mu, "sender", false, d), "sender", pf->values, d);
    tg_job_load_values(tg_yget_map(mu, "values", false, d), "municipality", pf->values, d);
    tg_ycheck_keys(mu, "the municipality", MUNI_KEYS, G_N_ELEMENTS(MUNI_KEYS), d);
  }
  tg_ynode *types = tg_yget_map(root, "personas", true, d);
  GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
  size_t count = 0;
  for (size_t t = 0; types && t < types->n; t++) {
    tg_ynode *list = types->vals[t];
    if (list->type != TG_Y_SEQ || list->n == 0) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "proof.personas", tg_ynode_span(list),
                 "the personas of '%s' must be a list", types->keys[t]->value);
      continue;
    }
    group *g = g_new0(group, 1);
    g->type = types->keys[t]->value;
    g->columns = g_ptr_array_new();
    g->personas = g_ptr_array_new_with_free_func(persona_free);
    g_ptr_array_add(pf->groups, g);
    for (size_t i = 0; i < list->n; i++) {
      tg_ynode *m = list->vals[i];
      if (!tg_yexpect_map(m, "a persona", d)) continue;
      persona *p = g_new0(persona, 1);
      p->node = m;
      p->note = "";
      p->id = "";
      if (tg_yget_string(m, "id", true, &p->id, d)) {
        if (!valid_id(p->id) || g_hash_table_contains(ids, p->id))
          tg_diag_at(
              d, TG_ERROR, TG_KIND_SCHEMA, "proof.personas", tg_ynode_span(tg_ymap_get(m, "id")),
              g_hash_table_contains(ids, p->id)
                  ? N_("persona '%s' is declared twice")
                  : N_("a persona id is lower-case letters, digits and '-' (it names files), "
                       "not '%s'"),
              p->id);
        g_hash_table_add(ids, (gpointer)p->id);
      }
      tg_yget_string(m, "note", false, &p->note, d);
      tg_ynode *row = tg_yget_map(m, "row", true, d);
      for (size_t k = 0; row && k < row->n; k++) {
        const char *col = row->keys[k]->value, *val;
        if (!tg_ynode_string(row->vals[k], col, &val, d)) continue;
        bool known = false;
        for (guint c = 0; c < g->columns->len && !known; c++)
          known = strcmp(g_ptr_array_index(g->columns, c), col) == 0;
        if (!known) g_ptr_array_add(g->columns, (gpointer)col);
      }
      tg_ycheck_keys(m, "a persona", PERSONA_KEYS, G_N_ELEMENTS(PERSONA_KEYS), d);
      g_ptr_array_add(g->personas, p);
      if (++count > MAX_PERSONAS) {
        tg_diag_at(d, TG_ERROR, TG_KIND_LIMIT, "proof.personas", tg_ynode_span(m),
                   "a personas file holds at most %d personas", MAX_PERSONAS);
        break;
      }
    }
    /* every persona gets a field per column of its group, in the group's order */
    for (guint i = 0; i < g->personas->len; i++) {
      persona *p = g_ptr_array_index(g->personas, i);
      tg_ynode *row = tg_ymap_get(p->node, "row");
      p->fields = g_new0(char *, g->columns->len + 1);
      p->lengths = g_new0(size_t, g->columns->len + 1);
      for (guint c = 0; c < g->columns->len; c++) {
        tg_ynode *v = row && row->type == TG_Y_MAP
                          ? tg_ymap_get(row, g_ptr_array_index(g->columns, c))
                          : NULL;
        p->fields[c] = g_strdup(v && v->type == TG_Y_SCALAR ? v->value : "");
        p->lengths[c] = strlen(p->fields[c]);
      }
    }
  }
  g_hash_table_destroy(ids);
  if (root) tg_ycheck_keys(root, "the personas file", TOP_KEYS, G_N_ELEMENTS(TOP_KEYS), d);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors) {
    personas_free(pf);
    return NULL;
  }
  return pf;
}

/* ---- the text a letter shows, for its comparisons ----------------------------------------- */

typedef struct {
  double x, y, w;
  const char *text;
  size_t len;
  double size;
} run_pos;

static gint by_position(gconstpointer a, gconstpointer b) {
  const run_pos *p = a, *q = b;
  if (p->y < q->y - 1.0) return -1;
  if (p->y > q->y + 1.0) return 1;
  return p->x < q->x ? -1 : p->x > q->x ? 1 : 0;
}

static void collect_runs(GArray *runs, const tg_item *items, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const tg_item *it = &items[i];
    if (it->type != TG_ITEM_GLYPHS || it->u.glyphs.ruby || !it->u.glyphs.text_len) continue;
    run_pos r = {it->x_pt,
                 it->y_pt,
                 it->u.glyphs.width_pt,
                 it->u.glyphs.text,
                 it->u.glyphs.text_len,
                 it->u.glyphs.size_pt};
    g_array_append_val(runs, r);
  }
}

/* The page's text in reading order: glyph runs by baseline, then from the
 * left; runs on one baseline joined (with a space where they stand apart),
 * a line break between baselines.  Ruby is left out. */
static void page_text(const tg_page *pg, GString *out) {
  GArray *runs = g_array_new(FALSE, FALSE, sizeof(run_pos));
  if (pg->static_layer) collect_runs(runs, pg->static_layer->items, pg->static_layer->nitems);
  collect_runs(runs, pg->items, pg->nitems);
  g_array_sort(runs, by_position);
  double last_y = -1e9, last_end = 0;
  for (guint i = 0; i < runs->len; i++) {
    const run_pos *r = &g_array_index(runs, run_pos, i);
    if (fabs(r->y - last_y) > 1.0) {
      if (i) g_string_append_c(out, '\n');
    } else if (r->x - last_end > r->size * 0.5) {
      g_string_append_c(out, ' ');
    }
    g_string_append_len(out, r->text, (gssize)r->len);
    last_y = r->y;
    last_end = r->x + r->w;
  }
  g_string_append_c(out, '\n');
  g_array_free(runs, TRUE);
}

/* ---- differences, token by token ---------------------------------------------------------- */

typedef enum { T_NEWLINE, T_SPACE, T_ALNUM, T_HIRA, T_KATA, T_KANJI, T_OTHER } tclass;

static tclass classify(uint32_t cp) {
  if (cp == '\n') return T_NEWLINE;
  if (cp == ' ' || cp == '\t' || cp == 0x3000) return T_SPACE;
  if (g_unichar_isalnum(cp) && (cp < 0x3000 || (cp >= 0xFF10 && cp <= 0xFF5A))) return T_ALNUM;
  if (cp == '.' || cp == 0xFF0E) return T_ALNUM;
  if (cp >= 0x3041 && cp <= 0x309F) return T_HIRA;
  if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F)) return T_KATA;
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005 ||
      (cp >= 0xF900 && cp <= 0xFAFF) || cp >= 0x20000)
    return T_KANJI;
  return T_OTHER;
}

/* Cut text into tokens: runs of one class; line breaks and punctuation
 * alone.  Tokens are (offset, length) pairs. */
static GArray *tokenize(const char *s) {
  GArray *t = g_array_new(FALSE, FALSE, sizeof(size_t) * 2);
  const char *p = s;
  while (*p) {
    const char *start = p;
    tclass c = classify(g_utf8_get_char(p));
    p = g_utf8_next_char(p);
    if (c != T_NEWLINE && c != T_OTHER)
      while (*p && classify(g_utf8_get_char(p)) == c)
        p = g_utf8_next_char(p);
    size_t tok[2] = {(size_t)(start - s), (size_t)(p - start)};
    g_array_append_val(t, tok);
  }
  return t;
}

static void html_escape(GString *out, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    switch (s[i]) {
    case '&': g_string_append(out, "&amp;"); break;
    case '<': g_string_append(out, "&lt;"); break;
    case '>': g_string_append(out, "&gt;"); break;
    case '"': g_string_append(out, "&quot;"); break;
    default: g_string_append_c(out, s[i]);
    }
  }
}

/* Write `text` with the tokens not in common marked: <del> on the left side,
 * <ins> on the right. */
static void emit_side(GString *out, const char *text, const GArray *tok, const bool *common,
                      const char *tag) {
  bool open = false;
  for (guint i = 0; i < tok->len; i++) {
    const size_t *k = &g_array_index(tok, size_t, 2 * i);
    bool changed = !common[i] && !(text[k[0]] == '\n');
    if (changed && !open) g_string_append_printf(out, "<%s>", tag), open = true;
    if (!changed && open) g_string_append_printf(out, "</%s>", tag), open = false;
    html_escape(out, text + k[0], k[1]);
  }
  if (open) g_string_append_printf(out, "</%s>", tag);
}

/* The longest common subsequence of the two token lists marks what the
 * letters share; the rest is what differs.  *changed gets the number of
 * differing tokens on both sides.  Very long texts (more than
 * MAX_DIFF_CELLS comparisons) are marked as different throughout. */
static void diff_html(const char *a, const char *b, GString *left, GString *right,
                      size_t *changed) {
  GArray *ta = tokenize(a), *tb = tokenize(b);
  size_t n = ta->len, m = tb->len;
  bool *ca = g_new0(bool, n + 1), *cb = g_new0(bool, m + 1);
  if ((uint64_t)(n + 1) * (m + 1) <= MAX_DIFF_CELLS) {
    /* token ids, so that comparisons are integer compares */
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    guint *ia = g_new(guint, n + 1), *ib = g_new(guint, m + 1);
    for (int side = 0; side < 2; side++) {
      GArray *t = side ? tb : ta;
      const char *s = side ? b : a;
      guint *ids_out = side ? ib : ia;
      for (guint i = 0; i < t->len; i++) {
        const size_t *k = &g_array_index(t, size_t, 2 * i);
        char *key = g_strndup(s + k[0], k[1]);
        gpointer v;
        if (!g_hash_table_lookup_extended(ids, key, NULL, &v)) {
          v = GUINT_TO_POINTER(g_hash_table_size(ids) + 1);
          g_hash_table_insert(ids, key, v);
        } else {
          g_free(key);
        }
        ids_out[i] = GPOINTER_TO_UINT(v);
      }
    }
    uint32_t *L = g_new0(uint32_t, (n + 1) * (m + 1));
#define AT(i, j) L[(size_t)(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        AT(i, j) = ia[i] == ib[j] ? AT(i + 1, j + 1) + 1 : MAX(AT(i + 1, j), AT(i, j + 1));
    for (size_t i = 0, j = 0; i < n && j < m;) {
      if (ia[i] == ib[j])
        ca[i++] = cb[j++] = true;
      else if (AT(i + 1, j) >= AT(i, j + 1))
        i++;
      else
        j++;
    }
#undef AT
    g_free(L);
    g_free(ia);
    g_free(ib);
    g_hash_table_destroy(ids);
  }
  *changed = 0;
  for (size_t i = 0; i < n; i++)
    *changed += !ca[i];
  for (size_t j = 0; j < m; j++)
    *changed += !cb[j];
  emit_side(left, a, ta, ca, "del");
  emit_side(right, b, tb, cb, "ins");
  g_free(ca);
  g_free(cb);
  g_array_free(ta, TRUE);
  g_array_free(tb, TRUE);
}

/* ---- rendering the letters ------------------------------------------------------------------ */

typedef struct {
  char *id; /* file stem: <type>-<persona>-<variant>[-<arm>] */
  guint group, persona;
  int variant, arm, segment;
  size_t npages;
  char *text;
  bool merged, ok; /* the row merged (it has a segment); the letter was laid out */
} proof_letter;

static void letter_clear(gpointer p) {
  proof_letter *l = p;
  g_free(l->id);
  g_free(l->text);
}

typedef struct {
  const tg_proof_options *opt;
  const tg_design *design;
  const personas_file *pf;
  tg_fonts *fonts;
  tg_postal *postal; /* town names for the customer barcode, as a run has them */
  tg_layout_ctx *ctx;
  char *pages_dir;
  tg_sink *trace;
  GArray *letters; /* proof_letter */
  uint64_t seq;
  unsigned persona_no;
  tg_diag *d;
} proof_run;

/* Draw one letter into its PDF, its PNGs and the trace. */
static bool render_letter(proof_run *P, const tg_pages *pages, const char *id,
                          const tg_letter_info *info) {
  bool ok = true;
  tg_sink *sinks[3];
  size_t ns = 0;
  if (P->opt->pdf) {
    char *name = g_strdup_printf("%s.pdf", id);
    char *path = g_build_filename(P->pages_dir, name, NULL);
    char date[32];
    tg_pdf_date(P->pf->date, date, sizeof date);
    tg_pdf_options po = {.title = P->design->name, .subject = id, .date = date};
    tg_sink *pdf = tg_create_private(path, P->d) ? tg_sink_pdf_new(path, &po, P->d) : NULL;
    g_free(path);
    g_free(name);
    if (!pdf) return false;
    sinks[ns++] = pdf;
  }
  if (P->opt->png) {
    tg_sink *png = tg_sink_png_new(P->pages_dir, id, P->opt->dpi > 0 ? P->opt->dpi : 100, P->d);
    if (!png)
      ok = false;
    else
      sinks[ns++] = png;
  }
  for (size_t s = 0; s < ns && ok; s++) {
    tg_sink_begin_letter(sinks[s], info);
    for (size_t pg = 0; pg < pages->npages && ok; pg++)
      ok = tg_sink_page(sinks[s], &pages->pages[pg], P->d);
  }
  if (P->trace && ok) {
    tg_sink_begin_letter(P->trace, info);
    for (size_t pg = 0; pg < pages->npages && ok; pg++)
      ok = tg_sink_page(P->trace, &pages->pages[pg], P->d);
  }
  for (size_t s = 0; s < ns; s++) {
    ok = tg_sink_close(sinks[s], P->d) && ok;
    tg_sink_free(sinks[s]);
  }
  return ok;
}

/* The values a letter of group g sees besides its row: the municipality's,
 * and job.* and list.* as a run sets them. */
static tg_values *group_consts(const personas_file *pf, const tg_design *ds, const group *g) {
  tg_values *consts = tg_values_new();
  for (size_t i = 0; i < tg_values_get_count(pf->values); i++) {
    const char *k = tg_values_get_key(pf->values, i);
    tg_values_set(consts, k, tg_values_get(pf->values, k));
  }
  tg_values_set(consts, "job.id", "proof");
  tg_values_set(consts, "job.title", ds->name);
  tg_values_set(consts, "job.date", pf->date);
  tg_values_set(consts, "list.type", g->type);
  return consts;
}

/* Whether the design's templates compile against the columns of group g: a
 * design without segments names no list type, so the personas it can take
 * are those whose columns it uses. */
static bool group_fits(const personas_file *pf, const tg_design *ds, const group *g) {
  tg_values *consts = group_consts(pf, ds, g);
  tg_diag *scratch = tg_diag_new();
  tg_merge *m =
      tg_merge_new(ds, (const char *const *)g->columns->pdata, g->columns->len, consts, scratch);
  bool fits = m && tg_diag_count_at_least(scratch, TG_ERROR) == 0;
  tg_merge_free(m);
  tg_diag_free(scratch);
  tg_values_free(consts);
  return fits;
}

/* Every persona of group g in every variant and arm. */
static bool render_group(proof_run *P, guint gi, uint32_t *layer_base) {
  const group *g = g_ptr_array_index(P->pf->groups, gi);
  const tg_design *ds = P->design;
  tg_values *consts = group_consts(P->pf, ds, g);
  bool ok = true;
  tg_merge *m =
      tg_merge_new(ds, (const char *const *)g->columns->pdata, g->columns->len, consts, P->d);
  tg_layout *lay = m ? tg_layout_new(ds, m, P->fonts, *layer_base, P->d) : NULL;
  if (lay) tg_layout_set_postal(lay, P->postal);
  if (!lay)
    ok = false;
  else
    *layer_base += (uint32_t)tg_layout_get_layer_count(lay);
  tg_letter *letter = m ? tg_letter_new(m) : NULL;
  size_t narms = ds->narms ? ds->narms : 1;
  for (guint pi = 0; ok && pi < g->personas->len; pi++) {
    const persona *p = g_ptr_array_index(g->personas, pi);
    unsigned persona_no = ++P->persona_no;
    tg_row row = {.number = pi + 1,
                  .nfields = g->columns->len,
                  .fields = (const char *const *)p->fields,
                  .lengths = p->lengths};
    for (size_t v = 0; v < ds->nvariants; v++) {
      if (!tg_merge_set_variant(m, ds->variants[v], NULL, TG_SPAN_NONE, P->d)) {
        ok = false;
        break;
      }
      for (size_t a = 0; a < narms; a++) {
        proof_letter pl = {.group = gi,
                           .persona = pi,
                           .variant = (int)v,
                           .arm = ds->narms ? (int)a : -1,
                           .segment = -1};
        pl.id = ds->narms
                    ? g_strdup_printf("%s-%s-%s-%s", g->type, p->id, ds->variants[v], ds->arms[a])
                    : g_strdup_printf("%s-%s-%s", g->type, p->id, ds->variants[v]);
        /* one control number per persona, so that only the texts differ between its letters */
        letter->seq = ++P->seq;
        g_snprintf(letter->id, sizeof letter->id, "%s-P-%04u", P->pf->muni_id, persona_no);
        letter->arm_name = ds->narms ? ds->arms[a] : NULL;
        tg_pages pages = {0};
        /* a persona is drawn once per variant and arm: say each thing once */
        tg_diag *ld = tg_diag_new();
        pl.merged = tg_merge_row(m, &row, P->pf->path, letter, ld);
        pl.ok = pl.merged && tg_layout_letter(lay, P->ctx, letter, &pages, ld);
        tg_diag_take_unique(P->d, ld);
        tg_diag_free(ld);
        if (pl.ok) {
          pl.segment = letter->segment;
          pl.npages = pages.npages;
          tg_letter_info info = {P->seq,
                                 pl.id,
                                 P->pf->path,
                                 row.number,
                                 ds->nvariants > 1 ? letter->variant_name : NULL,
                                 letter->segment_name,
                                 letter->arm_name};
          GString *text = g_string_new(NULL);
          for (size_t pg = 0; pg < pages.npages; pg++)
            page_text(&pages.pages[pg], text);
          pl.text = g_string_free(text, FALSE);
          if (!render_letter(P, &pages, pl.id, &info)) ok = false;
        }
        g_array_append_val(P->letters, pl);
        if (!pl.ok) break; /* the other arms would fail the same way */
      }
      const proof_letter *last = &g_array_index(P->letters, proof_letter, P->letters->len - 1);
      if (!last->merged) break; /* a row that cannot merge fails in every variant */
    }
  }
  tg_letter_free(letter);
  tg_layout_free(lay);
  tg_merge_free(m);
  tg_values_free(consts);
  return ok;
}

/* ---- index.html ---------------------------------------------------------------------------- */

static const char PAGE_HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>proofs loading</title>\n<style>\n"
    "body{font-family:\"BIZ UDPGothic\",\"BIZ UDPゴシック\",sans-serif;margin:1.5em;color:#1a1a1a;"
    "background:#fafafa}\n"
    "h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.8em 0 .3em;padding-top:.6em;"
    "border-top:2px solid #1f4e79}h3{font-size:1em;margin:.8em 0 .3em}\n"
    "p.meta,td,th{font-size:.9em}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}"
    "th{background:#eef2f7}\n"
    ".warn{color:#a4000f;font-weight:bold}\n"
    ".grid{display:grid;gap:1em;align-items:start}\n"
    "figure{margin:0;background:#fff;border:1px solid #ccc;padding:.5em;min-width:0}"
    "figcaption{font-weight:bold;margin-bottom:.4em}figcaption a{font-weight:normal;"
    "font-size:.85em;margin-left:.6em}\n"
    "figure img{width:100%;display:block;border:1px solid #ddd;margin-bottom:.4em;"
    "background:#fff}\n"
    ".diff{display:grid;grid-template-columns:1fr 1fr;gap:1em}"
    ".diff pre{white-space:pre-wrap;word-break:break-all;font-family:inherit;font-size:.85em;"
    "background:#fff;border:1px solid #ccc;padding:.6em;margin:0}\n"
    "del{background:#ffd7d5;color:#7a0010;text-decoration:line-through}"
    "ins{background:#cdf2d0;color:#0a4a12;text-decoration:none;font-weight:bold}\n"
    "details{margin:.6em 0}summary{cursor:pointer;font-weight:bold}\n"
    "@media print{figure{break-inside:avoid}}\n"
    "</style>\n<script>\n"
    "var tgTotal=0,tgLoaded=0,tgFailed=0,tgReady=false;\n"
    "function tgUpdate(){var b=document.body;if(!b)return;b.dataset.loaded=tgLoaded;"
    "b.dataset.failed=tgFailed;if(tgReady&&tgLoaded+tgFailed>=tgTotal){b.dataset.state="
    "'complete';document.title='proofs: '+tgLoaded+' of '+tgTotal+' images loaded, '+tgFailed+"
    "' failed';}}\n"
    "function tgLoad(i){tgLoaded++;tgUpdate();}\n"
    "function tgFail(i){tgFailed++;i.alt='missing: '+i.getAttribute('src');tgUpdate();}\n"
    "document.addEventListener('DOMContentLoaded',function(){tgTotal=document.images.length;"
    "tgReady=true;tgUpdate();});\n"
    "</script>\n</head>\n";

static void attr_escaped(GString *out, const char *s) { html_escape(out, s, strlen(s)); }

static const proof_letter *find_letter(const GArray *letters, guint g, guint p, int v, int a) {
  for (guint i = 0; i < letters->len; i++) {
    const proof_letter *l = &g_array_index(letters, proof_letter, i);
    if (l->group == g && l->persona == p && l->variant == v && l->arm == a) return l;
  }
  return NULL;
}

static void caption(GString *h, const tg_design *ds, const proof_letter *l) {
  attr_escaped(h, ds->variants[l->variant]);
  if (l->arm >= 0) {
    g_string_append(h, " · ");
    attr_escaped(h, ds->arms[l->arm]);
  }
}

static void comparison(GString *h, const tg_design *ds, const proof_letter *a,
                       const proof_letter *b, const char *what, bool open) {
  if (!a || !b || !a->ok || !b->ok) return;
  GString *left = g_string_new(NULL), *right = g_string_new(NULL);
  size_t changed = 0;
  diff_html(a->text, b->text, left, right, &changed);
  g_string_append_printf(h, "<details%s class=\"compare\"><summary>%s: ", open ? " open" : "",
                         what);
  caption(h, ds, a);
  g_string_append(h, " ⇔ ");
  caption(h, ds, b);
  g_string_append_printf(h, " (%zu tokens differ)</summary>\n<div class=\"diff\"><div><h3>",
                         changed);
  caption(h, ds, a);
  g_string_append(h, "</h3><pre>");
  g_string_append_len(h, left->str, (gssize)left->len);
  g_string_append(h, "</pre></div><div><h3>");
  caption(h, ds, b);
  g_string_append(h, "</h3><pre>");
  g_string_append_len(h, right->str, (gssize)right->len);
  g_string_append(h, "</pre></div></div></details>\n");
  g_string_free(left, TRUE);
  g_string_free(right, TRUE);
}

static GString *build_index(const proof_run *P) {
  const tg_design *ds = P->design;
  const personas_file *pf = P->pf;
  GString *h = g_string_new(PAGE_HEAD);
  if (P->opt->watch_version) {
    /* proof --watch: the page reloads itself (watch.c); inserted before </head> */
    g_string_truncate(h, h->len - strlen("</head>\n"));
    qa_watch_page_head(h, P->opt->watch_version);
    g_string_append(h, "</head>\n");
  }
  g_string_append(h, "<body data-state=\"loading\" data-loaded=\"0\" data-failed=\"0\">\n<h1>");
  attr_escaped(h, ds->name && *ds->name ? ds->name : ds->path);
  g_string_append(h, "</h1>\n<p class=\"meta\">design ");
  attr_escaped(h, ds->path);
  g_string_append(h, " · personas ");
  attr_escaped(h, pf->path);
  g_string_append(h, " · letter date ");
  attr_escaped(h, pf->date);
  g_string_append(h, " · variants:");
  for (size_t v = 0; v < ds->nvariants; v++)
    g_string_append_printf(h, " %s", ds->variants[v]);
  if (ds->narms) {
    g_string_append(h, " · arms:");
    for (size_t a = 0; a < ds->narms; a++)
      g_string_append_printf(h, " %s", ds->arms[a]);
  }
  g_string_append(h, "</p>\n");

  /* which persona reaches which segment */
  if (ds->nsegments) {
    g_string_append(h, "<table class=\"coverage\"><tr><th>list type</th><th>segment</th>"
                       "<th>personas</th></tr>\n");
    for (size_t s = 0; s < ds->nsegments; s++) {
      const tg_segment *sg = &ds->segments[s];
      GString *who = g_string_new(NULL);
      for (guint i = 0; i < P->letters->len; i++) {
        const proof_letter *l = &g_array_index(P->letters, proof_letter, i);
        if (!l->ok || l->segment != (int)s || l->variant != 0 || l->arm > 0) continue;
        const group *g = g_ptr_array_index(pf->groups, l->group);
        const persona *p = g_ptr_array_index(g->personas, l->persona);
        g_string_append_printf(who, "%s<a href=\"#%s-%s\">", who->len ? ", " : "", g->type, p->id);
        attr_escaped(who, p->id);
        g_string_append(who, "</a>");
      }
      g_string_append(h, "<tr><td>");
      attr_escaped(h, sg->type);
      g_string_append(h, "</td><td>");
      attr_escaped(h, sg->name);
      g_string_append(h, "</td><td>");
      if (who->len)
        g_string_append_len(h, who->str, (gssize)who->len);
      else
        g_string_append(h, "<span class=\"warn\">no persona reaches this segment</span>");
      g_string_append(h, "</td></tr>\n");
      g_string_free(who, TRUE);
    }
    g_string_append(h, "</table>\n");
  }

  for (guint gi = 0; gi < pf->groups->len; gi++) {
    const group *g = g_ptr_array_index(pf->groups, gi);
    for (guint pi = 0; pi < g->personas->len; pi++) {
      const persona *p = g_ptr_array_index(g->personas, pi);
      const proof_letter *first = find_letter(P->letters, gi, pi, 0, ds->narms ? 0 : -1);
      if (!first) continue; /* a group the design does not take */
      g_string_append_printf(h, "<h2 id=\"%s-%s\">", g->type, p->id);
      attr_escaped(h, g->type);
      g_string_append(h, " / ");
      attr_escaped(h, p->id);
      if (*p->note) {
        g_string_append(h, " — ");
        attr_escaped(h, p->note);
      }
      g_string_append(h, "</h2>\n<p class=\"meta\">segment: ");
      if (first->ok && first->segment >= 0)
        attr_escaped(h, ds->segments[first->segment].name);
      else if (first->ok)
        g_string_append(h, "(none)");
      else
        g_string_append(h,
                        "<span class=\"warn\">no letter: see the messages of tegami proof</span>");
      g_string_append_printf(h,
                             "</p>\n<div class=\"grid\" style=\"grid-template-columns:"
                             "repeat(%zu,minmax(240px,1fr))\">\n",
                             ds->nvariants * (ds->narms ? ds->narms : 1));
      for (size_t v = 0; v < ds->nvariants; v++)
        for (size_t a = 0; a < (ds->narms ? ds->narms : 1); a++) {
          const proof_letter *l = find_letter(P->letters, gi, pi, (int)v, ds->narms ? (int)a : -1);
          if (!l || !l->ok) continue;
          g_string_append(h, "<figure><figcaption>");
          caption(h, ds, l);
          if (P->opt->pdf) g_string_append_printf(h, "<a href=\"pages/%s.pdf\">PDF</a>", l->id);
          g_string_append(h, "</figcaption>\n");
          for (size_t pg = 0; pg < l->npages; pg++)
            g_string_append_printf(h,
                                   "<a href=\"pages/%s-%04zu.png\"><img src=\"pages/%s-%04zu.png\" "
                                   "alt=\"%s page %zu\" "
                                   "onload=\"tgLoad(this)\" onerror=\"tgFail(this)\"></a>\n",
                                   l->id, pg + 1, l->id, pg + 1, l->id, pg + 1);
          g_string_append(h, "</figure>\n");
        }
      g_string_append(h, "</div>\n");
      /* A vs B within each variant, then each variant against the first */
      for (size_t v = 0; ds->narms && v < ds->nvariants; v++)
        for (size_t a = 1; a < ds->narms; a++)
          comparison(h, ds, find_letter(P->letters, gi, pi, (int)v, 0),
                     find_letter(P->letters, gi, pi, (int)v, (int)a), "arms", true);
      for (size_t v = 1; v < ds->nvariants; v++)
        comparison(h, ds, find_letter(P->letters, gi, pi, 0, ds->narms ? 0 : -1),
                   find_letter(P->letters, gi, pi, (int)v, ds->narms ? 0 : -1), "variants", false);
    }
  }
  if (P->opt->watch_version) qa_watch_page_body(h);
  g_string_append(h, "</body>\n</html>\n");
  return h;
}

/* ---- the command -------------------------------------------------------------------------------
 */

bool tg_proof(const char *design_path, const tg_proof_options *opt, tg_proof_summary *sum,
              tg_diag *d) {
  memset(sum, 0, sizeof *sum);
  size_t errors = tg_diag_count_at_least(d, TG_ERROR);
  proof_run P = {.opt = opt, .d = d};
  tg_design *ds = tg_design_load(design_path, d);
  personas_file *pf = opt->personas ? personas_load(opt->personas, d) : NULL;
  if (!opt->personas)
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "proof.personas",
                "proofs need sample personas: --personas FILE (see samples/personas.yaml)");
  char *fontset = opt->fontset ? g_strdup(opt->fontset)
                               : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  P.fonts = ds && pf ? tg_fonts_load(fontset, d) : NULL;
  g_free(fontset);
  /* the postal dictionary a run uses by default, for the barcodes' town names */
  char *postal = tg_postal_default_path(tg_data_dir());
  P.postal = ds && pf ? tg_postal_load(postal, TG_ENC_AUTO, d) : NULL;
  g_free(postal);
  P.design = ds;
  P.pf = pf;
  bool ok = ds && pf && P.fonts;

  /* the groups the design takes: its segments' list types (or --type) */
  GArray *chosen = g_array_new(FALSE, FALSE, sizeof(guint));
  /* a design without segments takes the groups whose columns it uses (all
   * of them when none fits, so that the messages say what is missing) */
  size_t fitting = 0;
  for (guint gi = 0; ok && !opt->type && !ds->nsegments && gi < pf->groups->len; gi++)
    fitting += group_fits(pf, ds, g_ptr_array_index(pf->groups, gi));
  for (guint gi = 0; ok && gi < pf->groups->len; gi++) {
    const group *g = g_ptr_array_index(pf->groups, gi);
    bool take = opt->type       ? strcmp(opt->type, g->type) == 0
                : ds->nsegments ? tg_design_segment_mask(ds, g->type) != 0
                                : !fitting || group_fits(pf, ds, g);
    if (take && opt->persona) {
      /* only one persona: the others of its group are dropped */
      for (guint i = g->personas->len; i-- > 0;)
        if (strcmp(((persona *)g_ptr_array_index(g->personas, i))->id, opt->persona) != 0)
          g_ptr_array_remove_index(g->personas, i);
      take = g->personas->len > 0;
    }
    if (take) g_array_append_val(chosen, gi);
  }
  if (ok && chosen->len == 0) {
    if (opt->persona)
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "proof.personas",
                  "%s has no persona '%s' of a list type the design takes", pf->path, opt->persona);
    else
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "proof.personas",
                  "%s has no personas of the list type%s %s", pf->path,
                  opt->type ? "" : "s the design has segments for",
                  opt->type ? opt->type : "(see its segments:)");
    ok = false;
  }

  /* the output folder: index.html and pages/ */
  char *index_path = g_build_filename(opt->out_dir, "index.html", NULL);
  P.pages_dir = g_build_filename(opt->out_dir, "pages", NULL);
  bool files = opt->pdf || opt->png;
  tg_owned_dir *pages_owner = NULL;
  if (ok && files) {
    if (g_file_test(index_path, G_FILE_TEST_EXISTS) && !opt->force) {
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.exists",
                  "%s already holds proofs; nothing was changed", opt->out_dir);
      tg_diag_hint(d, "choose another folder with -o, or replace them with --force");
      ok = false;
    }
    /* pages/ is marked as tegami's (base/outdir.c): only what it lists goes */
    if (ok && g_file_test(P.pages_dir, G_FILE_TEST_EXISTS))
      ok = tg_owned_check(P.pages_dir, d) && tg_owned_remove(P.pages_dir, d);
    ok = ok && tg_mkdir_private(opt->out_dir, d) && tg_mkdir_private(P.pages_dir, d);
    pages_owner = ok ? tg_owned_begin(P.pages_dir, "proof", d) : NULL;
    ok = ok && pages_owner;
  }
  if (ok && opt->trace) P.trace = tg_sink_trace_new(opt->trace);
  P.ctx = ok ? tg_layout_ctx_new(P.fonts) : NULL;
  P.letters = g_array_new(FALSE, TRUE, sizeof(proof_letter));
  g_array_set_clear_func(P.letters, letter_clear);
  uint32_t layer_base = 0;
  for (guint i = 0; ok && i < chosen->len; i++)
    ok = render_group(&P, g_array_index(chosen, guint, i), &layer_base);

  for (guint i = 0; i < P.letters->len; i++) {
    const proof_letter *l = &g_array_index(P.letters, proof_letter, i);
    if (!l->ok) continue;
    sum->letters++;
    sum->pages += l->npages;
  }
  for (guint i = 0; ok && i < chosen->len; i++) {
    const group *g = g_ptr_array_index(pf->groups, g_array_index(chosen, guint, i));
    sum->personas += g->personas->len;
  }
  if (ok && files && opt->png) {
    GString *html = build_index(&P);
    tg_atomic *a = tg_atomic_open(index_path, d);
    if (a) fwrite(html->str, 1, html->len, tg_atomic_get_file(a));
    ok = a && tg_atomic_commit(a, d);
    g_string_free(html, TRUE);
  }
  if (ok) {
    /* a segment no persona reaches is never proofed: say so */
    for (size_t s = 0; s < ds->nsegments; s++) {
      bool reached = false, taken = false;
      for (guint i = 0; i < chosen->len; i++) {
        const group *g = g_ptr_array_index(pf->groups, g_array_index(chosen, guint, i));
        taken = taken || strcmp(g->type, ds->segments[s].type) == 0;
      }
      for (guint i = 0; i < P.letters->len && !reached; i++) {
        const proof_letter *l = &g_array_index(P.letters, proof_letter, i);
        reached = l->ok && l->segment == (int)s;
      }
      if (taken && !reached) {
        tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "proof.uncovered", ds->segments[s].span,
                   "no persona of %s reaches segment '%s': its letters are not proofed", pf->path,
                   ds->segments[s].name);
        sum->uncovered_segments++;
      }
    }
  }
  if (pages_owner) ok = tg_owned_seal(pages_owner, d) && ok;
  if (P.trace) {
    ok = tg_sink_close(P.trace, d) && ok;
    tg_sink_free(P.trace);
  }
  g_array_free(P.letters, TRUE);
  g_array_free(chosen, TRUE);
  tg_layout_ctx_free(P.ctx);
  g_free(index_path);
  g_free(P.pages_dir);
  tg_fonts_free(P.fonts);
  tg_postal_free(P.postal);
  personas_free(pf);
  tg_design_free(ds);
  return ok && tg_diag_count_at_least(d, TG_ERROR) == errors;
}
