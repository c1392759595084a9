/* mailing.c — the job's `mailing:` section: how the letters are posted, for
 * the Japan Post mailing plan (run/mailing.c, docs/job-format.md).
 *
 * The envelope (a JIS S 5502 size by name, or its sides), the weight and
 * thickness of the empty envelope, of one sheet of letter paper (g/m², or
 * grams per sheet) and of any other enclosure, and how many panels a sheet is
 * folded into.  A piece weighs envelope + sheets × sheet + insert, and is as
 * thick as envelope + sheets × panels × sheet + insert.  Every value has a
 * default (a 長形3号 kraft envelope of about 5 g, 64 g/m² plain paper folded
 * in three), so `mailing: {}` is a plan with the usual figures; the figures
 * of the vendor's own stock are better.
 */
#include "job/job_private.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const MAILING_KEYS[] = {
    "envelope",        "envelope-width", "envelope-length", "envelope-grams", "envelope-thickness",
    "paper-gsm",       "sheet-grams",    "paper-thickness", "panels",         "insert-grams",
    "insert-thickness"};

/* JIS S 5502 envelopes a letter goes in, and how an A4 sheet folds into them. */
static const struct {
  const char *name;
  double w_mm, l_mm;
  unsigned panels;
} ENVELOPES[] = {
    {"naga3", 120, 235, 3}, /* 長形3号: A4 三つ折り (定形) */
    {"naga4", 90, 205, 4},  /* 長形4号: A4 四つ折り (定形) */
    {"naga40", 90, 225, 4}, /* 長形40号 (定形) */
    {"kaku2", 240, 332, 1}, /* 角形2号: A4 flat (定形外) */
};

void job_load_mailing(tg_ynode *root, tg_mailing_spec *m, tg_diag *d) {
  memset(m, 0, sizeof *m);
  m->envelope = ENVELOPES[0].name;
  m->envelope_w_mm = ENVELOPES[0].w_mm;
  m->envelope_l_mm = ENVELOPES[0].l_mm;
  m->panels = ENVELOPES[0].panels;
  m->envelope_g = 5;    /* 長3 kraft 70 g/m² with a window: 4.5–5.5 g */
  m->envelope_mm = 0.4; /* two layers, seams and the window film, unpressed */
  m->paper_gsm = 64;    /* plain copier paper: 4.0 g per A4 sheet */
  m->paper_mm = 0.09;   /* 64 g/m² paper is 0.08–0.09 mm */
  tg_ynode *y = tg_yget_map(root, "mailing", false, d);
  if (!y) return;
  m->enabled = true;
  const char *names[N(ENVELOPES)];
  for (size_t i = 0; i < N(ENVELOPES); i++)
    names[i] = ENVELOPES[i].name;
  int e;
  if (tg_yget_enum(y, "envelope", false, names, N(names), &e, d)) {
    m->envelope = ENVELOPES[e].name;
    m->envelope_w_mm = ENVELOPES[e].w_mm;
    m->envelope_l_mm = ENVELOPES[e].l_mm;
    m->panels = ENVELOPES[e].panels;
  }
  const double big = tg_mm_to_pt(1000);
  double w = tg_mm_to_pt(m->envelope_w_mm), l = tg_mm_to_pt(m->envelope_l_mm);
  bool custom = tg_yget_length(y, "envelope-width", false, tg_mm_to_pt(10), big, &w, d);
  custom = tg_yget_length(y, "envelope-length", false, tg_mm_to_pt(10), big, &l, d) || custom;
  if (custom) {
    m->envelope = "custom";
    m->envelope_w_mm = tg_pt_to_mm(w);
    m->envelope_l_mm = tg_pt_to_mm(l);
  }
  tg_yget_number(y, "envelope-grams", false, 0, 1000, &m->envelope_g, d);
  tg_yget_number(y, "paper-gsm", false, 20, 500, &m->paper_gsm, d);
  tg_yget_number(y, "sheet-grams", false, 0.1, 100, &m->sheet_g, d);
  tg_yget_number(y, "insert-grams", false, 0, 1000, &m->insert_g, d);
  double t = tg_mm_to_pt(m->envelope_mm);
  if (tg_yget_length(y, "envelope-thickness", false, 0, tg_mm_to_pt(50), &t, d))
    m->envelope_mm = tg_pt_to_mm(t);
  t = tg_mm_to_pt(m->paper_mm);
  if (tg_yget_length(y, "paper-thickness", false, tg_mm_to_pt(0.01), tg_mm_to_pt(5), &t, d))
    m->paper_mm = tg_pt_to_mm(t);
  t = 0;
  if (tg_yget_length(y, "insert-thickness", false, 0, tg_mm_to_pt(50), &t, d))
    m->insert_mm = tg_pt_to_mm(t);
  long panels = m->panels;
  if (tg_yget_int(y, "panels", false, 1, 8, &panels, d)) m->panels = (unsigned)panels;
  tg_ycheck_keys(y, "mailing", MAILING_KEYS, N(MAILING_KEYS), d);
}
