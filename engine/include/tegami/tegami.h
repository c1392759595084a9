/* tegami/tegami.h — the whole public API, stage by stage in pipeline order:
 *
 *   diag → postal → design → targets → merge → layout → render → output
 *
 * Each header stands alone; this one includes them all for programs (such as
 * the tegami CLI) that drive the pipeline end to end.
 */
#ifndef TEGAMI_TEGAMI_H
#define TEGAMI_TEGAMI_H

#include "tegami/diag.h"
#include "tegami/postal.h"
#include "tegami/design.h"
#include "tegami/targets.h"
#include "tegami/merge.h"
#include "tegami/layout.h"
#include "tegami/render.h"
#include "tegami/output.h"

#endif
