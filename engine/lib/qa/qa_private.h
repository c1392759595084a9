/* qa/qa_private.h — what the files of the qa stage share.
 *
 * check.c checks a design on its own, proof.c draws a design for sample
 * personas, preflight.c checks finished PDFs as a print vendor would.  They
 * share nothing but the headers below.
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

#endif
