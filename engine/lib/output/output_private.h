/* output/output_private.h — for the files still in output/ while they move
 * to the stages they belong to: every new stage's private header. */
#ifndef TG_OUTPUT_PRIVATE_H
#define TG_OUTPUT_PRIVATE_H

#include "experiment/experiment_private.h"
#include "job/job_private.h"
#include "qa/qa_private.h"
#include "run/run_private.h"
#include "security/security_private.h"

#endif
