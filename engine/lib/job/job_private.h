/* job/job_private.h — what the files of the job stage share.
 *
 * job.c reads and checks job files (and tells a job from a design);
 * summary.c owns tg_summary, the counts a run or a join reports; mailing.c
 * reads the `mailing:` section.  They share nothing but what is below.
 */
#ifndef TG_JOB_PRIVATE_H
#define TG_JOB_PRIVATE_H

#include "base/base.h"
#include "tegami/job.h"

/* mailing.c: the `mailing:` section (envelope, paper and insert weights). */
void job_load_mailing(tg_ynode *root, tg_mailing_spec *m, tg_diag *d);

#endif
