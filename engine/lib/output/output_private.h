/* output/output_private.h — shared internals of the output stage. */
#ifndef TG_OUTPUT_PRIVATE_H
#define TG_OUTPUT_PRIVATE_H

#include "base/base.h"
#include "tegami/design.h"
#include "tegami/layout.h"
#include "tegami/merge.h"
#include "tegami/output.h"
#include "tegami/render.h"
#include "tegami/targets.h"

/* summary.c */
bool output_write_summary(const char *dir, const tg_job *job, tg_summary *s, tg_diag *d);
void output_summary_add_output(tg_summary *s, const char *path);

#endif
