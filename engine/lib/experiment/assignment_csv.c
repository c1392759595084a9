/* assignment_csv.c — writing assignment.csv, the allocation table of an experiment.
 *
 * Part of the experiment stage.  The run loop writes one line per letter as it
 * renders: which person (key) got which variant and arm, in which stratum, on
 * which letter date.  The evaluator later joins it with the visits
 * (tegami evaluate).  It holds personal identifiers (the key), so it is
 * written like every other output: a private temporary file (0600) renamed
 * into place only when complete.  Text fields are CSV-quoted and a leading
 * = + - @ is neutralised (tg_csv_append_field).
 */
#include "experiment/experiment_private.h"

struct tg_assignment_writer {
  tg_atomic *file;
  GString *line;
};

tg_assignment_writer *tg_assignment_writer_open(const char *path, const char *key_column,
                                                tg_diag *d) {
  tg_atomic *f = tg_atomic_open(path, d);
  if (!f) return NULL;
  tg_assignment_writer *w = g_new0(tg_assignment_writer, 1);
  w->file = f;
  w->line = g_string_new("letter_id,");
  tg_csv_append_field(w->line, key_column ? key_column : "KDB個人番号");
  g_string_append(w->line, ",municipality,target_type,segment,variant,arm,date,stratum\r\n");
  fwrite(w->line->str, 1, w->line->len, tg_atomic_get_file(f));
  return w;
}

void tg_assignment_writer_add(tg_assignment_writer *w, const tg_assignment_row *r) {
  const char *fields[] = {r->letter_id, r->key, r->municipality, r->target_type, r->segment,
                          r->variant,   r->arm, r->date,         r->stratum};
  g_string_truncate(w->line, 0);
  for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
    if (i) g_string_append_c(w->line, ',');
    tg_csv_append_field(w->line, fields[i]);
  }
  g_string_append(w->line, "\r\n");
  fwrite(w->line->str, 1, w->line->len, tg_atomic_get_file(w->file));
}

bool tg_assignment_writer_close(tg_assignment_writer *w, tg_diag *d) {
  tg_atomic *f = w->file;
  if (!f) return false; /* closed before */
  w->file = NULL;
  return tg_atomic_commit(f, d);
}

void tg_assignment_writer_free(tg_assignment_writer *w) {
  if (!w) return;
  if (w->file) tg_atomic_abort(w->file);
  g_string_free(w->line, TRUE);
  g_free(w);
}
