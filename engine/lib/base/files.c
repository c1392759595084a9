/* files.c — reading inputs whole, and writing outputs privately and atomically.
 *
 * Outputs hold personal data: files are created 0600 and directories 0700,
 * whatever the umask.  A file appears under its final name only when it is
 * complete: it is written to a hidden temporary beside it (".name.tmp-PID-N"),
 * flushed, fsync'ed and renamed, then the directory is fsync'ed.  An
 * interrupted run therefore never leaves a half-written file that looks done.
 */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report_not_file(const char *path, const char *what, mode_t mode, tg_diag *d) {
  tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "io.not-file", "%s%s is %s", _(what), path,
              S_ISDIR(mode) ? _("a folder, not a file")
                            : _("not a regular file (a device, pipe or socket)"));
}

FILE *tg_open_input(const char *path, const char *what, tg_diag *d) {
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; cleared below */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, errno == ENOENT ? TG_KIND_SCHEMA : TG_KIND_SYSTEM,
                errno == ENOENT ? "io.not-found" : "io.open", "cannot open %s%s: %s", _(what), path,
                g_strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.open", "cannot open %s%s: %s", _(what), path,
                g_strerror(errno));
    close(fd);
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    report_not_file(path, what, st.st_mode, d);
    close(fd);
    return NULL;
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.open", "cannot open %s%s: %s", _(what), path,
                g_strerror(errno));
    close(fd);
  }
  return f;
}

bool tg_input_is_file(const char *path, const char *what, tg_diag *d) {
  struct stat st;
  if (stat(path, &st) != 0 || S_ISREG(st.st_mode)) return true;
  report_not_file(path, what, st.st_mode, d);
  return false;
}

tg_source *tg_source_load(const char *path, size_t max_bytes, tg_diag *d) {
  FILE *f = tg_open_input(path, "", d);
  if (!f) return NULL;
  GString *buf = g_string_sized_new(4096);
  char chunk[65536];
  size_t n;
  bool too_big = false;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (buf->len + n > max_bytes) {
      too_big = true;
      break;
    }
    g_string_append_len(buf, chunk, (gssize)n);
  }
  bool err = ferror(f);
  fclose(f);
  if (too_big) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIMIT, "io.too-large", "%s is larger than %zu bytes", path,
                max_bytes);
    g_string_free(buf, TRUE);
    return NULL;
  }
  if (err) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s", path);
    g_string_free(buf, TRUE);
    return NULL;
  }
  tg_source *src = tg_source_new(path, buf->str, buf->len);
  g_string_free(buf, TRUE);
  return src;
}

bool tg_create_private(const char *path, tg_diag *d) {
  tg_outdir_claim(path, false);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s: %s", path,
                g_strerror(errno));
    return false;
  }
  close(fd);
  return true;
}

bool tg_mkdir_private(const char *path, tg_diag *d) {
  struct stat st;
  if (lstat(path, &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.symlink",
                  "output folder %s is a symbolic link; refusing to write through it", path);
      return false;
    }
    if (!S_ISDIR(st.st_mode)) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.not-dir", "%s exists and is not a folder", path);
      return false;
    }
    return true;
  }
  tg_outdir_claim(path, true);
  char *parent = g_path_get_dirname(path);
  if (strcmp(parent, path) != 0 && strcmp(parent, ".") != 0 && strcmp(parent, "/") != 0 &&
      g_mkdir_with_parents(parent, 0700) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.mkdir", "cannot create folder %s: %s", parent,
                g_strerror(errno));
    g_free(parent);
    return false;
  }
  g_free(parent);
  if (mkdir(path, 0700) != 0 && errno != EEXIST) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.mkdir", "cannot create folder %s: %s", path,
                g_strerror(errno));
    return false;
  }
  chmod(path, 0700);
  return true;
}

char *tg_temp_path_for(const char *final_path) {
  static gint counter;
  tg_outdir_claim(final_path, false);
  char *dir = g_path_get_dirname(final_path);
  char *base = g_path_get_basename(final_path);
  char *p = g_strdup_printf("%s/.%s.tmp-%ld-%d", dir, base, (long)getpid(),
                            g_atomic_int_add(&counter, 1));
  g_free(dir);
  g_free(base);
  return p;
}

static bool fsync_dir_of(const char *path) {
  char *dir = g_path_get_dirname(path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  g_free(dir);
  if (fd < 0) return false;
  bool ok = fsync(fd) == 0 || errno == EINVAL;
  close(fd);
  return ok;
}

bool tg_commit_rename(const char *temp_path, const char *final_path, tg_diag *d) {
  int fd = open(temp_path, O_RDONLY);
  if (fd >= 0) {
    if (fsync(fd) != 0 && errno != EINVAL) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.sync", "cannot flush %s to disk: %s", final_path,
                  g_strerror(errno));
      close(fd);
      unlink(temp_path);
      return false;
    }
    close(fd);
  }
  if (rename(temp_path, final_path) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.rename", "cannot move %s into place: %s",
                final_path, g_strerror(errno));
    unlink(temp_path);
    return false;
  }
  fsync_dir_of(final_path);
  return true;
}

struct tg_atomic {
  char *final_path;
  char *temp_path;
  FILE *f;
};

tg_atomic *tg_atomic_open(const char *final_path, tg_diag *d) {
  char *tmp = tg_temp_path_for(final_path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s: %s", final_path,
                g_strerror(errno));
    g_free(tmp);
    return NULL;
  }
  FILE *f = fdopen(fd, "wb");
  if (!f) {
    close(fd);
    unlink(tmp);
    g_free(tmp);
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s", final_path);
    return NULL;
  }
  tg_atomic *a = g_new0(tg_atomic, 1);
  a->final_path = g_strdup(final_path);
  a->temp_path = tmp;
  a->f = f;
  return a;
}

FILE *tg_atomic_get_file(tg_atomic *a) { return a->f; }
const char *tg_atomic_get_temp_path(const tg_atomic *a) { return a->temp_path; }

static void atomic_release(tg_atomic *a) {
  g_free(a->final_path);
  g_free(a->temp_path);
  g_free(a);
}

bool tg_atomic_commit(tg_atomic *a, tg_diag *d) {
  bool ok = true;
  if (fflush(a->f) != 0 || ferror(a->f)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", a->final_path,
                g_strerror(errno));
    ok = false;
  }
  if (ok && fsync(fileno(a->f)) != 0 && errno != EINVAL) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.sync", "cannot flush %s to disk: %s",
                a->final_path, g_strerror(errno));
    ok = false;
  }
  if (fclose(a->f) != 0 && ok) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", a->final_path,
                g_strerror(errno));
    ok = false;
  }
  if (ok) {
    if (rename(a->temp_path, a->final_path) != 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.rename", "cannot move %s into place: %s",
                  a->final_path, g_strerror(errno));
      ok = false;
    } else {
      fsync_dir_of(a->final_path);
    }
  }
  if (!ok) unlink(a->temp_path);
  atomic_release(a);
  return ok;
}

void tg_atomic_abort(tg_atomic *a) {
  if (!a) return;
  fclose(a->f);
  unlink(a->temp_path);
  atomic_release(a);
}

void tg_json_string(GString *o, const char *s) {
  g_string_append_c(o, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf(o, "\\%c", *p);
    else if (*p < 0x20)
      g_string_append_printf(o, "\\u%04x", *p);
    else
      g_string_append_c(o, (char)*p);
  }
  g_string_append_c(o, '"');
}

char *tg_path_relative_to(const char *base_file, const char *path) {
  if (g_path_is_absolute(path)) return g_strdup(path);
  char *dir = g_path_get_dirname(base_file);
  char *joined = g_build_filename(dir, path, NULL);
  g_free(dir);
  char *canon = g_canonicalize_filename(joined, NULL);
  g_free(joined);
  /* keep relative inputs relative to the working directory when they were */
  if (!g_path_is_absolute(base_file)) {
    char *cwd = g_get_current_dir();
    size_t cl = strlen(cwd);
    if (strncmp(canon, cwd, cl) == 0 && canon[cl] == '/') {
      char *rel = g_strdup(canon + cl + 1);
      g_free(canon);
      canon = rel;
    }
    g_free(cwd);
  }
  return canon;
}

char *tg_sha256_file(const char *path, tg_diag *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.open", "cannot open %s: %s", path,
                g_strerror(errno));
    return NULL;
  }
  GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
  unsigned char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    g_checksum_update(ck, buf, n);
  bool err = ferror(f);
  fclose(f);
  char *hex = err ? NULL : g_strdup(g_checksum_get_string(ck));
  g_checksum_free(ck);
  if (err) tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s", path);
  return hex;
}

char *tg_dir_beside_program(const char *relative, const char *probe_file) {
  char *exe = g_file_read_link("/proc/self/exe", NULL);
  if (!exe) return NULL;
  char *bin_dir = g_path_get_dirname(exe);
  char *dir = g_canonicalize_filename(relative, bin_dir);
  char *probe = g_build_filename(dir, probe_file, NULL);
  bool found = g_file_test(probe, G_FILE_TEST_IS_REGULAR);
  g_free(probe);
  g_free(bin_dir);
  g_free(exe);
  if (found) return dir;
  g_free(dir);
  return NULL;
}

/* The installed data beside the running program: TG_DATA_DIR_FROM_BIN is the
 * data folder relative to the program's folder (../share/tegami, set by
 * packaging/install.cmake), so an install that is moved, or unpacked under a
 * DESTDIR, still finds its own data.  Used when it holds fonts/fontset.txt;
 * otherwise (a program in the build tree) the compiled-in TG_DATA_DIR. */
static gpointer find_data_dir(gpointer unused) {
  (void)unused;
#ifdef TG_DATA_DIR_FROM_BIN
  char *dir = tg_dir_beside_program(TG_DATA_DIR_FROM_BIN, "fonts/fontset.txt");
  if (dir) return dir; /* kept for the life of the process */
#endif
  return (gpointer)TG_DATA_DIR;
}

const char *tg_data_dir(void) {
  const char *env = g_getenv("TEGAMI_DATA_DIR");
  if (env && *env) return env;
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, find_data_dir, NULL);
}
