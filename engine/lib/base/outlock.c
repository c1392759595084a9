/* outlock.c — writing an output folder: lock, staging folder, replacement.
 *
 * tg_outdir_open() is what a run (or a join) does before it writes anything
 * to <out>: it takes the lock "<out>.tegami-lock" (outdir.c says how a lock
 * is held, found stale and taken over), refuses an existing folder that is
 * not empty unless --force is given and the folder passes tg_owned_check(),
 * removes what dead runs left beside <out> (their own files only), and
 * creates the staging folder "<out>.tegami-tmp-<pid>" with its marker.
 * tg_outdir_commit() seals the marker and moves the staging folder into
 * place: over an empty folder directly; over an earlier output (--force) by
 * moving that aside, checking it again and removing only its own files.
 * tg_outdir_close() removes a staging folder that was not committed (its own
 * files only) and releases the lock.
 */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct tg_outdir {
  char *out, *stage, *lock_path;
  int lock_fd;
  bool force;
  tg_owned_dir *owned;
};

/* The start time of a process in clock ticks after boot (field 22 of
 * /proc/PID/stat); 0 when unknown. */
static guint64 process_start_ticks(long pid) {
  char *path = pid ? g_strdup_printf("/proc/%ld/stat", pid) : g_strdup("/proc/self/stat");
  gchar *text = NULL;
  guint64 ticks = 0;
  if (g_file_get_contents(path, &text, NULL, NULL)) {
    const char *p = strrchr(text, ')'); /* the command name may hold spaces */
    char **f = p ? g_strsplit(p + 2, " ", 0) : NULL;
    if (f && g_strv_length(f) > 19) ticks = g_ascii_strtoull(f[19], NULL, 10);
    g_strfreev(f);
  }
  g_free(text);
  g_free(path);
  return ticks;
}

typedef struct {
  long pid;
  guint64 start_ticks;
  char started[32];
  char host[128];
} lock_holder;

static bool holder_read(int fd, lock_holder *h) {
  memset(h, 0, sizeof *h);
  char buf[512];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = '\0';
  char **lines = g_strsplit(buf, "\n", -1);
  for (char **l = lines; *l; l++) {
    if (g_str_has_prefix(*l, "pid "))
      h->pid = (long)g_ascii_strtoll(*l + 4, NULL, 10);
    else if (g_str_has_prefix(*l, "start "))
      h->start_ticks = g_ascii_strtoull(*l + 6, NULL, 10);
    else if (g_str_has_prefix(*l, "started "))
      g_strlcpy(h->started, *l + 8, sizeof h->started);
    else if (g_str_has_prefix(*l, "host "))
      g_strlcpy(h->host, *l + 5, sizeof h->host);
  }
  g_strfreev(lines);
  return h->pid > 0;
}

/* Alive by its pid: the same host, the pid exists, with the same start time
 * (a reused pid has another). */
static bool holder_alive(const lock_holder *h) {
  if (strcmp(h->host, g_get_host_name()) != 0) return false;
  if (kill((pid_t)h->pid, 0) != 0 && errno == ESRCH) return false;
  guint64 t = process_start_ticks(h->pid);
  return t == 0 || h->start_ticks == 0 || t == h->start_ticks;
}

static bool holder_write(int fd) {
  GDateTime *now = g_date_time_new_now_utc();
  char *when = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
  g_date_time_unref(now);
  char *text = g_strdup_printf("pid %ld\nstart %" G_GUINT64_FORMAT "\nstarted %s\nhost %s\n",
                               (long)getpid(), process_start_ticks(0), when, g_get_host_name());
  g_free(when);
  size_t len = strlen(text);
  bool ok = ftruncate(fd, 0) == 0 && pwrite(fd, text, len, 0) == (ssize_t)len;
  g_free(text);
  return ok;
}

/* flock, retried briefly: a run that has just created the file may be
 * looked at by another for a moment. */
static int lock_try(int fd) {
  for (int i = 0; i < 20; i++) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 0;
    if (errno != EWOULDBLOCK) return -1;
    g_usleep(10000);
  }
  errno = EWOULDBLOCK;
  return -1;
}

static bool take_lock(tg_outdir *o, tg_diag *d) {
  for (int attempt = 0; attempt < 10; attempt++) {
    int fd = open(o->lock_path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      lock_try(fd); /* where flock is unsupported, the pid in the file decides */
      if (!holder_write(fd)) {
        tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", o->lock_path,
                    g_strerror(errno));
        unlink(o->lock_path);
        close(fd);
        return false;
      }
      o->lock_fd = fd;
      return true;
    }
    if (errno != EEXIST) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s: %s", o->lock_path,
                  g_strerror(errno));
      return false;
    }
    fd = open(o->lock_path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) continue; /* released meanwhile */
    if (fd < 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.open", "cannot open %s: %s", o->lock_path,
                  g_strerror(errno));
      return false;
    }
    int fl = lock_try(fd);
    int fl_errno = errno;
    lock_holder h;
    bool known = holder_read(fd, &h);
    struct stat a, b;
    bool alive;
    if (fl != 0 && fl_errno == EWOULDBLOCK)
      alive = true;
    else if (!known) /* being written this very moment, or unreadable: young is alive */
      alive = fstat(fd, &a) == 0 && a.st_mtime + 10 > time(NULL);
    else
      alive = fl != 0 && holder_alive(&h); /* no flock here: the pid decides */
    if (alive) {
      if (known)
        tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.locked",
                    "%s is being written by another run (pid %ld on %s, started %s); nothing was "
                    "changed",
                    o->out, h.pid, h.host, h.started);
      else
        tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.locked",
                    "%s is being written by another run; nothing was changed", o->out);
      tg_diag_hint(d, "wait for that run to finish, or write to another folder with -o");
      close(fd);
      return false;
    }
    /* the holder is gone: the file we locked must still be the lock */
    if (fstat(fd, &a) != 0 || stat(o->lock_path, &b) != 0 || a.st_ino != b.st_ino ||
        a.st_dev != b.st_dev) {
      close(fd);
      continue;
    }
    if (!holder_write(fd)) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", o->lock_path,
                  g_strerror(errno));
      close(fd);
      return false;
    }
    if (known)
      tg_diag_add(d, TG_NOTE, TG_KIND_SYSTEM, "output.lock-taken-over",
                  "took over the lock of %s from a run that is no longer running (pid %ld on %s, "
                  "started %s)",
                  o->out, h.pid, h.host, h.started);
    else
      tg_diag_add(d, TG_NOTE, TG_KIND_SYSTEM, "output.lock-taken-over",
                  "took over the lock of %s from a run that is no longer running", o->out);
    o->lock_fd = fd;
    return true;
  }
  tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.locked",
              "%s is being locked and released by other runs; nothing was changed", o->out);
  return false;
}

static void release_lock(tg_outdir *o) {
  if (o->lock_fd < 0) return;
  unlink(o->lock_path); /* while still locked: a waiting run then finds no file */
  close(o->lock_fd);
  o->lock_fd = -1;
}

/* Staging and set-aside folders of dead runs beside <out>: their own files go. */
static void remove_stale_siblings(tg_outdir *o, tg_diag *d) {
  char *parent = g_path_get_dirname(o->out);
  char *base = g_path_get_basename(o->out);
  GDir *dir = g_dir_open(parent, 0, NULL);
  size_t bl = strlen(base);
  const char *name;
  while (dir && (name = g_dir_read_name(dir))) {
    if (strncmp(name, base, bl) != 0) continue;
    const char *rest = name + bl;
    const char *pid_s = g_str_has_prefix(rest, ".tegami-tmp-")   ? rest + 12
                        : g_str_has_prefix(rest, ".tegami-old-") ? rest + 12
                                                                 : NULL;
    if (!pid_s) continue;
    long pid = (long)g_ascii_strtoll(pid_s, NULL, 10);
    if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) continue; /* still running */
    char *path = g_build_filename(parent, name, NULL);
    tg_owned_remove(path, d);
    g_free(path);
  }
  if (dir) g_dir_close(dir);
  g_free(parent);
  g_free(base);
}

static bool dir_is_empty(const char *path) {
  GDir *dir = g_dir_open(path, 0, NULL);
  bool empty = !dir || !g_dir_read_name(dir);
  if (dir) g_dir_close(dir);
  return empty;
}

tg_outdir *tg_outdir_open(const char *out, const char *job, bool force, tg_diag *d) {
  tg_outdir *o = g_new0(tg_outdir, 1);
  o->out = g_strdup(out);
  size_t n = strlen(o->out);
  while (n > 1 && o->out[n - 1] == '/') /* "out/": the folder, not something inside it */
    o->out[--n] = '\0';
  o->lock_path = g_strdup_printf("%s.tegami-lock", o->out);
  o->lock_fd = -1;
  o->force = force;
  struct stat st;
  bool exists = lstat(o->out, &st) == 0;
  if (exists && (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, S_ISLNK(st.st_mode) ? "io.symlink" : "io.not-dir",
                S_ISLNK(st.st_mode)
                    ? N_("output folder %s is a symbolic link; refusing to write through it")
                    : N_("%s exists and is not a folder"),
                o->out);
    tg_outdir_close(o, d);
    return NULL;
  }
  char *parent = g_path_get_dirname(o->out);
  bool ok = tg_mkdir_private(parent, d) && take_lock(o, d);
  g_free(parent);
  if (ok && exists && !dir_is_empty(o->out)) {
    if (!force) {
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.exists",
                  "%s is not empty; nothing was changed", o->out);
      tg_diag_hint(d, "choose another folder with -o, or replace an earlier output of tegami with "
                      "--force");
      ok = false;
    } else {
      ok = tg_owned_check(o->out, d);
    }
  }
  if (ok) {
    remove_stale_siblings(o, d);
    o->stage = g_strdup_printf("%s.tegami-tmp-%ld", o->out, (long)getpid());
    if (mkdir(o->stage, 0700) != 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.mkdir", "cannot create %s: %s", o->stage,
                  g_strerror(errno));
      g_free(o->stage);
      o->stage = NULL;
      ok = false;
    }
  }
  if (ok) {
    o->owned = tg_owned_begin(o->stage, job, d);
    ok = o->owned != NULL;
  }
  if (!ok) {
    tg_outdir_close(o, d);
    return NULL;
  }
  return o;
}

const char *tg_outdir_get_stage(const tg_outdir *o) { return o->stage; }

static void fsync_parent(const char *path) {
  char *dir = g_path_get_dirname(path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_free(dir);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

bool tg_outdir_commit(tg_outdir *o, tg_diag *d) {
  bool ok = tg_owned_seal(o->owned, d);
  o->owned = NULL;
  if (!ok) return false;
  struct stat st;
  char *old = NULL;
  if (lstat(o->out, &st) == 0 && !dir_is_empty(o->out)) {
    /* not empty now: only an earlier output of ours, with --force, checked again */
    if (!o->force) {
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.changed",
                  "files appeared in %s while the run was writing; nothing was replaced", o->out);
      tg_diag_hint(d, "find out who writes there, and run again into another folder");
      return false;
    }
    if (!tg_owned_check(o->out, d)) return false;
    old = g_strdup_printf("%s.tegami-old-%ld", o->out, (long)getpid());
    if (rename(o->out, old) != 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.rename", "cannot move %s aside: %s", o->out,
                  g_strerror(errno));
      g_free(old);
      return false;
    }
  }
  /* over a missing or empty folder: an empty one is replaced, a full one refuses */
  if (rename(o->stage, o->out) != 0) {
    int e = errno;
    if (old) rename(old, o->out); /* put the earlier output back */
    if (e == ENOTEMPTY || e == EEXIST)
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.changed",
                  "files appeared in %s while the run was writing; nothing was replaced", o->out);
    else
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.rename", "cannot move the output into %s: %s",
                  o->out, g_strerror(e));
    g_free(old);
    return false;
  }
  fsync_parent(o->out);
  g_free(o->stage);
  o->stage = NULL;
  if (old) tg_owned_remove(old, d); /* a foreign file in it: left, with a warning */
  g_free(old);
  return true;
}

void tg_outdir_close(tg_outdir *o, tg_diag *d) {
  if (!o) return;
  if (o->owned)
    tg_owned_abort(o->owned, d);
  else if (o->stage)
    tg_owned_remove(o->stage, d);
  release_lock(o);
  g_free(o->out);
  g_free(o->stage);
  g_free(o->lock_path);
  g_free(o);
}
