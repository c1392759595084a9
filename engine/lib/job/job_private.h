/* job/job_private.h — what the files of the job stage share.
 *
 * job.c reads and checks job files (and tells a job from a design);
 * exclusions.c reads a municipality's exclusion rules and applies them to
 * rows; summary.c owns tg_summary, the counts a run or a join reports.  They
 * share nothing but the headers below.
 */
#ifndef TG_JOB_PRIVATE_H
#define TG_JOB_PRIVATE_H

#include "base/base.h"
#include "tegami/job.h"

/* exclusions.c: a municipality's `exclusions:` into mu->rules (strings kept
 * in `strings`, list paths resolved relative to the job file). */
void job_load_rules(tg_ynode *m, const char *job_path, GStringChunk *strings, tg_municipality *mu,
                    tg_diag *d);

#endif
