/* tegami/tegami.h — the whole public API, stage by stage in pipeline order:
 *
 *   diag → calendar → postal → design → targets → ruby → merge → layout → render
 *        → experiment → job → security → run → qa
 *
 * Each header stands alone; this one includes them all for programs (such as
 * the tegami CLI) that drive the pipeline end to end.  docs/architecture.md
 * shows the stages and the rule their includes follow.
 */
#ifndef TEGAMI_TEGAMI_H
#define TEGAMI_TEGAMI_H

/* in pipeline order, not sorted */
/* clang-format off */
#include "tegami/diag.h"
#include "tegami/calendar.h"
#include "tegami/postal.h"
#include "tegami/design.h"
#include "tegami/targets.h"
#include "tegami/ruby.h"
#include "tegami/merge.h"
#include "tegami/layout.h"
#include "tegami/render.h"
#include "tegami/experiment.h"
#include "tegami/job.h"
#include "tegami/security.h"
#include "tegami/run.h"
#include "tegami/followup.h"
#include "tegami/qa.h"
/* clang-format on */

#endif
