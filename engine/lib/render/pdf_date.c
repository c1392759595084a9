/* pdf_date.c — the date a PDF says it was made, never the clock.
 *
 * Every PDF tegami writes (letter batches, label sheets, address lists,
 * proofs, the evaluation chart) gets its CreationDate from here, so the same
 * inputs give the same bytes on any day: SOURCE_DATE_EPOCH when it is set
 * (reproducible-builds.org), else the job's letter date at midnight.
 */
#include "render/render_private.h"

void tg_pdf_date(const char *day, char *date, size_t n) {
  const char *sde = g_getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    GDateTime *dt = g_date_time_new_from_unix_utc(g_ascii_strtoll(sde, NULL, 10));
    char *s = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S") : NULL;
    g_strlcpy(date, s ? s : "2000-01-01T00:00:00", n);
    g_free(s);
    if (dt) g_date_time_unref(dt);
  } else {
    g_snprintf(date, n, "%sT00:00:00", day);
  }
}
