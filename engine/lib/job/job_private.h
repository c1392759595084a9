/* job/job_private.h — what the files of the job stage share.
 *
 * job.c reads and checks job files (and tells a job from a design);
 * summary.c owns tg_summary, the counts a run or a join reports; mailing.c
 * reads the `mailing:` section; exclusions.c reads a municipality's exclusion
 * rules and applies them to rows.  They share nothing but what is below.
 */
#ifndef TG_JOB_PRIVATE_H
#define TG_JOB_PRIVATE_H

#include "base/base.h"
#include "tegami/job.h"

/* mailing.c: the `mailing:` section (envelope, paper and insert weights). */
void job_load_mailing(tg_ynode *root, tg_mailing_spec *m, tg_diag *d);
/* exclusions.c: a municipality's `exclusions:` into mu->rules (strings kept
 * in `strings`, list paths resolved relative to the job file). */
void job_load_rules(tg_ynode *m, const char *job_path, GStringChunk *strings, tg_municipality *mu,
                    tg_diag *d);

#endif
