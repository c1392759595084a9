/* sink.c — dispatch from the public tg_sink_* calls to each sink's functions. */
#include "render/render_private.h"

void tg_sink_begin_letter(tg_sink *s, const tg_letter_info *info) { s->vt->begin_letter(s, info); }
bool tg_sink_page(tg_sink *s, const tg_page *page, tg_diag *d) { return s->vt->page(s, page, d); }
bool tg_sink_close(tg_sink *s, tg_diag *d) { return s->vt->close(s, d); }
uint64_t tg_sink_get_page_count(const tg_sink *s) { return s->pages; }
void tg_sink_free(tg_sink *s) {
  if (s) s->vt->free(s);
}
