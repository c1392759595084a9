/* tegami/run.h — running a job: from a job file to finished output files.
 *
 * tg_run() drives the whole pipeline for a job (job.h):
 *
 *   1. check: load every design, open every list, compile every template
 *      against the list's columns, load the fonts, lay out static content.
 *      Any error here stops the run before the output folder is touched
 *      (exit 3): nothing is rendered, nothing is left behind.
 *   2. render: stream each list; every row ends up rendered, or rejected with
 *      a reason (rejected.csv names list, row, key, column and reason code —
 *      never a name, address or health value).
 *   3. finish: outputs are written under temporary names and renamed into
 *      place only when complete; summary.txt and summary.json give the counts
 *      per list and municipality, and they reconcile:
 *        rows read = rendered + excluded + rejected.
 *
 * A job too big for one machine runs in shards (--shard K/N); the shards'
 * folders are joined afterwards, after checking that together they are
 * exactly the whole job.
 */
#ifndef TEGAMI_RUN_H
#define TEGAMI_RUN_H

#include <signal.h>
#include <stdio.h>

#include "tegami/diag.h"
#include "tegami/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_run_options {
  const char *out_dir; /* default "out" */
  bool force;          /* replace the outputs of an earlier run */
  bool check_only;     /* validate everything, render nothing */
  bool pdf;            /* write the batch PDFs (default on in the CLI) */
  bool png;            /* also write PNG proofs of every page */
  double png_dpi;
  FILE *trace;          /* also write a trace here (NULL: none) */
  const char *fontset;  /* font set listing; NULL: <data dir>/fonts/fontset.txt */
  unsigned jobs;        /* worker threads; 0 = one per core.  Output bytes do not depend on it */
  unsigned shard_index; /* 1..shard_count: render only this part of the job (0 = all) */
  unsigned shard_count;
  /* Called from the thread that called tg_run, about ten times a second
   * while letters are drawn (done of total), and once at the end. */
  void (*progress)(uint64_t done, uint64_t total, void *data);
  void *progress_data;
  /* The password the PDFs are encrypted with, instead of the job's
   * output.encrypt (the CLI's --password-file / --password-env). */
  const char *password_file, *password_env;
  /* Set (to the signal's number) by a signal handler to stop the run: the
   * workers stop at the next letter, the staging folder is removed and
   * nothing is written (run.interrupted).  NULL: not interruptible. */
  const volatile sig_atomic_t *interrupt;
} tg_run_options;

/* Run (or check) a job.  Fills `summary` (release with tg_summary_clear) and
 * returns the exit code for the CLI. */
tg_exit tg_run(const tg_job *job, const tg_run_options *opt, tg_summary *summary, tg_diag *d);

/* Join the output folders of a sharded run (tegami run --shard K/N on N
 * machines) into out_dir, after checking that together they are exactly the
 * whole job: same job, shards 1..N each once, checksums intact, no letter or
 * rejected row twice, every list's rows all read.  Nothing is written unless
 * all checks pass. */
tg_exit tg_join_shards(const char *const *dirs, size_t n, const char *out_dir, bool force,
                       tg_summary *summary, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
