/* fuzz_job.c — fuzz target: the job file loader.
 *
 * The input is a job file, fed through an in-memory file to tg_detect_kind()
 * and tg_job_load() (YAML tree, schema, municipality profiles, path
 * resolution); every diagnostic is formatted.  Nothing is run.
 * Corpus: tests/fuzz/job/.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz_memfile mf;
  const char *path = fuzz_memfile_put(&mf, data, size);
  tg_diag *d = tg_diag_new();
  (void)tg_detect_kind(path, d);
  fuzz_format_diags(d);
  tg_job *job = tg_job_load(path, d);
  if (job) {
    /* walk what a run would read */
    size_t n = 0;
    for (size_t i = 0; i < job->nmunis; i++)
      for (size_t j = 0; j < job->munis[i].nlists; j++)
        n += job->munis[i].lists[j].file ? 1 : 0;
    (void)n;
    tg_job_free(job);
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  return 0;
}
