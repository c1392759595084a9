/* fuzz/fuzz.h — what the fuzz targets share.
 *
 * Each tests/fuzz/fuzz_<target>.c defines LLVMFuzzerTestOneInput() for one
 * parser of libtegami; its corpus lives in tests/fuzz/<target>/.  Built with
 * -DTG_FUZZ=ON under clang, a target links libFuzzer's main and explores;
 * in every other build it links replay.c instead, which runs each corpus file
 * once under the build's sanitizers (ctest: fuzz.<target>), so every seed and
 * every crash ever found stays a regression test.
 *
 * Parsers that only take a path (the CSV reader, the job loader) are fed
 * through an in-memory file (memfd) reached as /proc/self/fd/N: no disk I/O
 * and no change to the reader's API.
 */
#ifndef TG_FUZZ_H
#define TG_FUZZ_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tegami/tegami.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An in-memory file whose content is replaced on every call; the path stays
 * valid for the life of the process. */
typedef struct {
  int fd;
  char path[64];
} fuzz_memfile;

static inline const char *fuzz_memfile_put(fuzz_memfile *m, const uint8_t *data, size_t size) {
  if (m->fd <= 0) {
    m->fd = memfd_create("tegami-fuzz", MFD_CLOEXEC);
    if (m->fd < 0) {
      perror("memfd_create");
      abort();
    }
    snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", m->fd);
  }
  if (ftruncate(m->fd, 0) != 0) abort();
  size_t done = 0;
  while (done < size) {
    ssize_t n = pwrite(m->fd, data + done, size - done, (off_t)done);
    if (n <= 0) abort();
    done += (size_t)n;
  }
  return m->path;
}

/* Format every diagnostic (exercises the caret and span code on the same
 * hostile input) and drop them. */
static inline void fuzz_format_diags(tg_diag *d) {
  for (size_t i = 0; i < tg_diag_count(d); i++)
    free(tg_diag_format(tg_diag_get(d, i)));
  tg_diag_clear(d);
}

#endif
