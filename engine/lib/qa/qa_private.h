/* qa/qa_private.h — what the files of the qa stage share.
 *
 * check.c checks a design on its own, proof.c draws a design for sample
 * personas (watch.c adds what `proof --watch` needs), preflight.c checks
 * finished PDFs as a print vendor would.
 */
#ifndef TG_QA_PRIVATE_H
#define TG_QA_PRIVATE_H

#include "base/base.h"
#include "tegami/design.h"
#include "tegami/job.h"
#include "tegami/layout.h"
#include "tegami/merge.h"
#include "tegami/qa.h"
#include "tegami/render.h"
#include "tegami/targets.h"

/* watch.c: the script and the message box that make a gallery page reload
 * itself when DIR/watch.js announces a newer version than `version`. */
void qa_watch_page_head(GString *h, unsigned version);
void qa_watch_page_body(GString *h);

#endif
