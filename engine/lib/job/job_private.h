/* job/job_private.h — what the files of the job stage share.
 *
 * job.c reads and checks job files (and tells a job from a design);
 * summary.c owns tg_summary, the counts a run or a join reports.  They
 * share nothing but the headers below.
 */
#ifndef TG_JOB_PRIVATE_H
#define TG_JOB_PRIVATE_H

#include "base/base.h"
#include "tegami/job.h"

#endif
