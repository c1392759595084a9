/* envelope.c — the window envelope a design is mailed in.
 *
 * A letter folded into a window envelope (窓付き封筒) is addressed by what
 * shows through the window, and the insert moves inside the envelope: Japan
 * Post asks for the postal code, address and name to stay in view however
 * far it shifts (about 5 mm of play), and for the customer barcode to keep
 * 2 mm of clear window around it at both extremes.  The design names its
 * envelope (`envelope: naga3-a4-trifold-90x45`, a file of its own, or the
 * same keys inline); this file reads it and checks what can be checked
 * without data: the window is on the page, the address block starts inside
 * the safe area and is narrow enough, the barcode fits.  How far a long
 * address reaches down, and whether anything else shows through the window,
 * depends on the letter: layout/window.c checks that per letter.
 */
#include "design/design_private.h"

#include <string.h>

static const char *const ENVELOPE_KEYS[] = {"kind", "name", "window", "play", "note"};
static const char *const WINDOW_KEYS[] = {"x", "y", "width", "height"};
static const char *const PLAY_KEYS[] = {"x", "y"};

#define MM(v) tg_mm_to_pt(v)

tg_box tg_envelope_visible(const tg_envelope *e) {
  return (tg_box){e->window_x_pt - e->play_x_pt, e->window_y_pt - e->play_y_pt,
                  e->window_x_pt + e->window_w_pt + e->play_x_pt,
                  e->window_y_pt + e->window_h_pt + e->play_y_pt};
}

tg_box tg_envelope_safe(const tg_envelope *e, double inset_pt) {
  double ix = e->play_x_pt + inset_pt, iy = e->play_y_pt + inset_pt;
  return (tg_box){e->window_x_pt + ix, e->window_y_pt + iy, e->window_x_pt + e->window_w_pt - ix,
                  e->window_y_pt + e->window_h_pt - iy};
}

/* The keys of an envelope, from its own file or inline in the design. */
static void read_envelope(loader *L, tg_ynode *m, bool own_file, const char *fallback_name,
                          tg_envelope *e) {
  const char *kind = NULL;
  if (tg_yget_string(m, "kind", own_file, &kind, L->d) && strcmp(kind, "envelope") != 0)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.envelope-kind",
               tg_ynode_span(tg_ymap_get(m, "kind")),
               "this file is a '%s', not an envelope (expected kind: envelope)", kind);
  const char *name = fallback_name;
  tg_yget_string(m, "name", false, &name, L->d);
  e->name = design_strdup(L, name);
  const char *note = NULL;
  tg_yget_string(m, "note", false, &note, L->d);
  tg_ynode *w = tg_yget_map(m, "window", true, L->d);
  if (w) {
    tg_yget_length(w, "x", true, 0, MM(1000), &e->window_x_pt, L->d);
    tg_yget_length(w, "y", true, 0, MM(1000), &e->window_y_pt, L->d);
    tg_yget_length(w, "width", true, MM(20), MM(500), &e->window_w_pt, L->d);
    tg_yget_length(w, "height", true, MM(10), MM(500), &e->window_h_pt, L->d);
    tg_ycheck_keys(w, "window", WINDOW_KEYS, N(WINDOW_KEYS), L->d);
  }
  /* Japan Post expects 5 mm of play when nothing better is known */
  e->play_x_pt = e->play_y_pt = MM(5);
  tg_ynode *play = tg_ymap_get(m, "play");
  if (play && play->type == TG_Y_MAP) {
    tg_yget_length(play, "x", true, 0, MM(50), &e->play_x_pt, L->d);
    tg_yget_length(play, "y", true, 0, MM(50), &e->play_y_pt, L->d);
    tg_ycheck_keys(play, "play", PLAY_KEYS, N(PLAY_KEYS), L->d);
  } else if (play) {
    tg_yget_length(m, "play", false, 0, MM(50), &e->play_x_pt, L->d);
    e->play_y_pt = e->play_x_pt;
  }
  tg_ycheck_keys(m, "envelope", ENVELOPE_KEYS, N(ENVELOPE_KEYS), L->d);
}

static gint by_name(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The presets in <data>/layouts/envelopes/, for "did you mean" and hints. */
static void report_unknown_preset(loader *L, tg_ynode *at, const char *dir) {
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  GDir *gd = g_dir_open(dir, 0, NULL);
  const char *f;
  while (gd && (f = g_dir_read_name(gd)))
    if (g_str_has_suffix(f, ".yaml")) g_ptr_array_add(names, g_strndup(f, strlen(f) - 5));
  if (gd) g_dir_close(gd);
  g_ptr_array_sort(names, by_name);
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.envelope-unknown", tg_ynode_span(at),
             "there is no envelope preset '%s'", at->value);
  const char *near = tg_suggest(at->value, (const char *const *)names->pdata, names->len);
  if (near) {
    tg_diag_hint(L->d, "did you mean '%s'?", near);
  } else {
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++)
      g_string_append_printf(all, "%s%s", i ? ", " : "", (char *)names->pdata[i]);
    tg_diag_hint(L->d, "presets: %s; or give a file of your own (my-envelope.yaml)",
                 names->len ? all->str : "(none installed)");
    g_string_free(all, TRUE);
  }
  g_ptr_array_free(names, TRUE);
}

void design_load_envelope(loader *L, tg_ynode *root) {
  tg_ynode *v = tg_ymap_get(root, "envelope");
  if (!v) return;
  v->used = true;
  tg_envelope *e = design_alloc(L, sizeof *e);
  size_t errors_before = tg_diag_count_at_least(L->d, TG_ERROR);
  if (v->type == TG_Y_MAP) {
    read_envelope(L, v, false, "envelope", e);
  } else if (v->type == TG_Y_SCALAR && v->value[0]) {
    /* a preset name, or a file of the design's own folder */
    bool is_file = strchr(v->value, '/') || g_str_has_suffix(v->value, ".yaml");
    char *dir = g_build_filename(tg_data_dir(), "layouts", "envelopes", NULL);
    char *path = NULL;
    if (is_file) {
      const char *p = design_resolve_file(L, v, "envelope file");
      path = p ? g_strdup(p) : NULL;
    } else {
      char *f = g_strdup_printf("%s.yaml", v->value);
      path = g_build_filename(dir, f, NULL);
      g_free(f);
      if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        report_unknown_preset(L, v, dir);
        g_clear_pointer(&path, g_free);
      }
    }
    g_free(dir);
    tg_source *src = path ? tg_source_load(path, 1 << 16, L->d) : NULL;
    tg_ydoc *doc = src ? tg_ydoc_parse(src, L->d) : NULL;
    if (src) g_ptr_array_add(L->impl->sources, src);
    if (doc) g_ptr_array_add(L->impl->docs, doc);
    tg_ynode *m = doc ? tg_ydoc_get_root(doc) : NULL;
    if (m && tg_yexpect_map(m, "an envelope", L->d)) read_envelope(L, m, true, v->value, e);
    g_free(path);
  } else {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.envelope-unknown", tg_ynode_span(v),
               "envelope must be a preset name, a file, or a mapping with a window");
  }
  if (tg_diag_count_at_least(L->d, TG_ERROR) == errors_before) {
    L->design->envelope = e;
    L->envelope_node = v;
  }
}

static void box_mm(char *buf, size_t n, tg_box b) {
  g_snprintf(buf, n, "x %.1f–%.1f mm, y %.1f–%.1f mm", tg_pt_to_mm(b.x0_pt), tg_pt_to_mm(b.x1_pt),
             tg_pt_to_mm(b.y0_pt), tg_pt_to_mm(b.y1_pt));
}

/* The width of the customer barcode's bars at size a: 66 pitches and a bar. */
static double bars_width_pt(double size_pt) { return MM(79.85 * size_pt / 10); }

static void check_address(loader *L, const tg_envelope *e, const tg_block *b) {
  tg_box safe = tg_envelope_safe(e, 0), bars = tg_envelope_safe(e, MM(2));
  char where[96];
  double x1 = b->x_pt + b->width_pt;
  if (b->x_pt < safe.x0_pt - 1e-6 || x1 > safe.x1_pt + 1e-6 || b->y_pt < safe.y0_pt - 1e-6 ||
      b->y_pt >= safe.y1_pt) {
    box_mm(where, sizeof where, safe);
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.window-address", b->span,
               "address block '%s' (x %.1f–%.1f mm, from y %.1f mm) is not inside what the "
               "window of '%s' always shows (%s)",
               b->name, tg_pt_to_mm(b->x_pt), tg_pt_to_mm(x1), tg_pt_to_mm(b->y_pt), e->name,
               where);
    tg_diag_hint(L->d,
                 "that is the window less %.0f × %.0f mm of play, the insert's movement in "
                 "the envelope",
                 tg_pt_to_mm(e->play_x_pt), tg_pt_to_mm(e->play_y_pt));
  }
  double a = b->u.address.barcode_pt;
  if (a <= 0) return;
  double bx0 = b->x_pt + b->style->size_pt, bx1 = bx0 + bars_width_pt(a);
  if (bx0 >= bars.x0_pt - 1e-6 && bx1 <= bars.x1_pt + 1e-6) return;
  box_mm(where, sizeof where, bars);
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.window-barcode", b->span,
             "the customer barcode of address block '%s' (x %.1f–%.1f mm at %gpt) leaves less "
             "than 2 mm of window around it (%s)",
             b->name, tg_pt_to_mm(bx0), tg_pt_to_mm(bx1), a, where);
  /* the largest size (in half points) that fits from where the bars start */
  double fit = (bars.x1_pt - bx0) / bars_width_pt(10) * 10;
  fit = (double)(long)(fit * 2) / 2;
  if (bx0 >= bars.x0_pt - 1e-6 && fit >= 8)
    tg_diag_hint(L->d, "barcode: %gpt fits; Japan Post allows 8pt–11.5pt", fit > 11.5 ? 11.5 : fit);
  else
    tg_diag_hint(L->d, "move the address block so the bars start at least %.1f mm from the left",
                 tg_pt_to_mm(bars.x0_pt));
}

static void check_barcode(loader *L, const tg_envelope *e, const tg_block *b) {
  tg_box bars = tg_envelope_safe(e, MM(2));
  if (b->x_pt >= bars.x0_pt - 1e-6 && b->y_pt >= bars.y0_pt - 1e-6 &&
      b->x_pt + b->width_pt <= bars.x1_pt + 1e-6 && b->y_pt + b->height_pt <= bars.y1_pt + 1e-6)
    return;
  char where[96];
  box_mm(where, sizeof where, bars);
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.window-barcode", b->span,
             "barcode '%s' is not where the window of '%s' always shows it with 2 mm around (%s)",
             b->name, e->name, where);
}

void design_check_envelope(loader *L) {
  const tg_design *ds = L->design;
  const tg_envelope *e = ds->envelope;
  if (!e || ds->npages == 0) return;
  tg_span at = tg_ynode_span(L->envelope_node);
  if (e->window_x_pt + e->window_w_pt > ds->page_width_pt + 1e-6 ||
      e->window_y_pt + e->window_h_pt > ds->page_height_pt + 1e-6) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.window-off-page", at,
               "the window of '%s' (%.0f × %.0f mm at x %.1f, y %.1f mm) is not on the page",
               e->name, tg_pt_to_mm(e->window_w_pt), tg_pt_to_mm(e->window_h_pt),
               tg_pt_to_mm(e->window_x_pt), tg_pt_to_mm(e->window_y_pt));
    return;
  }
  tg_box safe = tg_envelope_safe(e, MM(2));
  if (safe.x1_pt - safe.x0_pt < bars_width_pt(8) || safe.y1_pt - safe.y0_pt < MM(10)) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.window-play", at,
               "with %.0f × %.0f mm of play, the window of '%s' has no room that always shows "
               "an address and a barcode",
               tg_pt_to_mm(e->play_x_pt), tg_pt_to_mm(e->play_y_pt), e->name);
    tg_diag_hint(L->d, "measure the play on the vendor's inserter; a bigger window or a snugger "
                       "envelope helps");
    return;
  }
  const tg_design_page *pg = &ds->pages[0];
  size_t addressed = 0;
  for (size_t i = 0; i < pg->nblocks; i++) {
    const tg_block *b = &pg->blocks[i];
    if (b->type == TG_BLOCK_ADDRESS) check_address(L, e, b), addressed++;
    if (b->type == TG_BLOCK_BARCODE) check_barcode(L, e, b);
  }
  if (!addressed)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.window-no-address", at,
               "the design is mailed in '%s' but its first page has no address block", e->name);
}
