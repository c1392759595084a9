/* outdir.c — the folders tegami writes: who owns them, who is writing them.
 *
 * Ownership.  A folder tegami writes carries a marker, ".tegami-output":
 * the job id and the list of what tegami wrote into it (files with their
 * size and SHA-256, sub-folders).  While a folder is being written the
 * marker is a journal: every file is listed (O_APPEND, one line) before it is
 * created, through tg_outdir_claim(), which the file helpers of files.c call
 * for every path they create — so even a run killed at any moment leaves a
 * folder that says what in it is tegami's.  When the folder is finished the
 * marker is rewritten with sizes and hashes.
 *
 * Removal never walks a tree: tg_owned_remove() unlinks the files the marker
 * lists (and the hidden temporaries of those files), then the folders it
 * lists, then the marker and the folder — a file tegami did not write makes
 * the last rmdir fail, and stays where it is, with a warning naming it.
 * tg_owned_check() is the test `run --force` applies before it may replace a
 * folder: a marker, nothing that the marker does not list, nothing changed.
 *
 * Locking.  A run holds "<out>.tegami-lock" for as long as it writes <out>
 * and its staging folder "<out>.tegami-tmp-<pid>": created O_EXCL, holding
 * the pid, the process start time (/proc/self/stat, in clock ticks), the wall
 * time and the host, and flock()ed.  A second run finds the lock held and
 * stops (output.locked, naming the holder).  A holder that died released its
 * flock with its last descriptor: the next run takes the lock over and says
 * so (output.lock-taken-over).  Where flock is not available the pid and its
 * start time decide (a pid reused by another process has another start
 * time).  The lock file is unlinked while still locked, and a run that locked
 * a file that is no longer the one at the path tries again.
 */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER_HEAD "tegami-output 1\n"

struct tg_owned_dir {
  char *dir;
  char *job;
  int journal_fd;
  GHashTable *claimed; /* relative path -> GINT(1 file, 2 folder) */
};

/* The folders being written, for tg_outdir_claim(). */
static GMutex registry_lock;
static GPtrArray *registry;

static bool journal_line(int fd, const char *kind, const char *rel) {
  char *line = g_strdup_printf("%s - - %s\n", kind, rel);
  size_t len = strlen(line);
  bool ok = write(fd, line, len) == (ssize_t)len;
  g_free(line);
  return ok;
}

void tg_outdir_claim(const char *path, bool is_dir) {
  g_mutex_lock(&registry_lock);
  for (guint i = 0; registry && i < registry->len; i++) {
    tg_owned_dir *o = g_ptr_array_index(registry, i);
    size_t n = strlen(o->dir);
    if (strncmp(path, o->dir, n) != 0 || path[n] != '/' || !path[n + 1]) continue;
    const char *rel = path + n + 1;
    if (strchr(rel, '\n') || g_hash_table_contains(o->claimed, rel)) continue;
    g_hash_table_insert(o->claimed, g_strdup(rel), GINT_TO_POINTER(is_dir ? 2 : 1));
    journal_line(o->journal_fd, is_dir ? "dir" : "file", rel);
  }
  g_mutex_unlock(&registry_lock);
}

tg_owned_dir *tg_owned_begin(const char *dir, const char *job, tg_diag *d) {
  char *path = g_build_filename(dir, TG_OWNED_MARKER, NULL);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s: %s", path,
                g_strerror(errno));
    g_free(path);
    return NULL;
  }
  g_free(path);
  char *head = g_strdup_printf(MARKER_HEAD "job %s\nstate writing\n", job ? job : "-");
  size_t len = strlen(head);
  bool ok = write(fd, head, len) == (ssize_t)len;
  g_free(head);
  if (!ok) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write the marker of %s: %s", dir,
                g_strerror(errno));
    close(fd);
    return NULL;
  }
  tg_owned_dir *o = g_new0(tg_owned_dir, 1);
  o->dir = g_strdup(dir);
  o->job = g_strdup(job ? job : "-");
  o->journal_fd = fd;
  o->claimed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_lock(&registry_lock);
  if (!registry) registry = g_ptr_array_new();
  g_ptr_array_add(registry, o);
  g_mutex_unlock(&registry_lock);
  return o;
}

static void owned_release(tg_owned_dir *o) {
  g_mutex_lock(&registry_lock);
  g_ptr_array_remove(registry, o);
  g_mutex_unlock(&registry_lock);
  if (o->journal_fd >= 0) close(o->journal_fd);
  g_hash_table_destroy(o->claimed);
  g_free(o->dir);
  g_free(o->job);
  g_free(o);
}

static gint cmp_str(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Report the first entry of `dir` (recursively) that `owned` does not list. */
static bool find_foreign(const char *dir, const char *rel, GHashTable *owned, char **found) {
  char *path = rel ? g_build_filename(dir, rel, NULL) : g_strdup(dir);
  GDir *gd = g_dir_open(path, 0, NULL);
  g_free(path);
  if (!gd) return false;
  const char *name;
  bool any = false;
  while (!any && (name = g_dir_read_name(gd))) {
    char *r = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
    if (!rel && strcmp(name, TG_OWNED_MARKER) == 0) {
      g_free(r);
      continue;
    }
    gpointer kind = g_hash_table_lookup(owned, r);
    char *full = g_build_filename(dir, r, NULL);
    struct stat st;
    bool is_dir = lstat(full, &st) == 0 && S_ISDIR(st.st_mode);
    g_free(full);
    if (!kind || (GPOINTER_TO_INT(kind) == 2) != is_dir) {
      *found = r;
      any = true;
    } else {
      if (is_dir) any = find_foreign(dir, r, owned, found);
      g_free(r);
    }
  }
  g_dir_close(gd);
  return any;
}

bool tg_owned_seal(tg_owned_dir *o, tg_diag *d) {
  GPtrArray *names = g_ptr_array_new();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, o->claimed);
  while (g_hash_table_iter_next(&it, &key, NULL))
    g_ptr_array_add(names, key);
  g_ptr_array_sort(names, cmp_str);
  GString *m = g_string_new(MARKER_HEAD);
  g_string_append_printf(m, "job %s\nstate complete\n", o->job);
  GHashTable *kept = g_hash_table_new(g_str_hash, g_str_equal);
  bool ok = true;
  for (guint i = 0; i < names->len && ok; i++) {
    const char *rel = g_ptr_array_index(names, i);
    char *full = g_build_filename(o->dir, rel, NULL);
    struct stat st;
    if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
        GPOINTER_TO_INT(g_hash_table_lookup(o->claimed, rel)) == 2) {
      g_string_append_printf(m, "dir - - %s\n", rel);
      g_hash_table_insert(kept, (gpointer)rel, GINT_TO_POINTER(2));
    } else if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
               GPOINTER_TO_INT(g_hash_table_lookup(o->claimed, rel)) == 1) {
      char *hex = tg_sha256_file(full, d);
      ok = hex != NULL;
      if (ok)
        g_string_append_printf(m, "file %" G_GUINT64_FORMAT " %s %s\n", (guint64)st.st_size, hex,
                               rel);
      g_hash_table_insert(kept, (gpointer)rel, GINT_TO_POINTER(1));
      g_free(hex);
    }
    g_free(full);
  }
  char *foreign = NULL;
  if (ok && find_foreign(o->dir, NULL, kept, &foreign)) {
    tg_diag_add(d, TG_WARNING, TG_KIND_SYSTEM, "output.foreign-file",
                "%s/%s was not written by tegami (it appeared while tegami was writing); it was "
                "left in place and is not listed as tegami's",
                o->dir, foreign);
    g_free(foreign);
  }
  g_hash_table_destroy(kept);
  g_ptr_array_free(names, TRUE);
  if (ok) {
    char *path = g_build_filename(o->dir, TG_OWNED_MARKER, NULL);
    close(o->journal_fd);
    o->journal_fd = -1;
    /* written aside and renamed: the journal stays valid until the marker replaces it */
    char *tmp = g_strdup_printf("%s.new-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    ok = fd >= 0 && write(fd, m->str, m->len) == (ssize_t)m->len;
    if (fd >= 0) ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", path,
                  g_strerror(errno));
      unlink(tmp);
    }
    g_free(tmp);
    g_free(path);
  }
  g_string_free(m, TRUE);
  owned_release(o);
  return ok;
}

/* ---- reading a marker --------------------------------------------------------------- */

typedef struct {
  char *rel;
  bool is_dir;
  gint64 size; /* -1: not recorded (a journal) */
  char *sha256;
} marker_entry;

static void marker_entry_clear(gpointer p) {
  marker_entry *e = p;
  g_free(e->rel);
  g_free(e->sha256);
}

/* The entries of dir's marker; NULL when it has none or it is not ours. */
static GArray *marker_read(const char *dir, bool *complete) {
  char *path = g_build_filename(dir, TG_OWNED_MARKER, NULL);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  g_free(path);
  if (fd < 0) return NULL;
  GString *text = g_string_new(NULL);
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0 && text->len < (64u << 20))
    g_string_append_len(text, buf, n);
  close(fd);
  if (!g_str_has_prefix(text->str, MARKER_HEAD)) {
    g_string_free(text, TRUE);
    return NULL;
  }
  GArray *out = g_array_new(FALSE, TRUE, sizeof(marker_entry));
  g_array_set_clear_func(out, marker_entry_clear);
  *complete = false;
  char **lines = g_strsplit(text->str, "\n", -1);
  g_string_free(text, TRUE);
  for (char **l = lines; *l; l++) {
    if (strcmp(*l, "state complete") == 0) *complete = true;
    bool is_file = g_str_has_prefix(*l, "file "), is_dir = g_str_has_prefix(*l, "dir ");
    if (!is_file && !is_dir) continue;
    char **f = g_strsplit(*l + (is_file ? 5 : 4), " ", 3);
    if (g_strv_length(f) == 3 && *f[2] && !strstr(f[2], "..") && f[2][0] != '/') {
      marker_entry e = {g_strdup(f[2]), is_dir, -1, NULL};
      if (strcmp(f[0], "-") != 0) e.size = g_ascii_strtoll(f[0], NULL, 10);
      if (strcmp(f[1], "-") != 0) e.sha256 = g_strdup(f[1]);
      g_array_append_val(out, e);
    }
    g_strfreev(f);
  }
  g_strfreev(lines);
  return out;
}

bool tg_owned_check(const char *dir, tg_diag *d) {
  bool complete = false;
  GArray *m = marker_read(dir, &complete);
  if (!m) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.not-owned",
                "%s was not written by tegami (it has no .tegami-output marker); nothing was "
                "changed",
                dir);
    tg_diag_hint(d, "choose another folder with -o; if it is the output of a tegami from before "
                    "the marker existed, check it and remove it yourself");
    return false;
  }
  if (!complete) { /* a journal: the run writing it died, nothing was checked in */
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.not-owned",
                "the marker of %s is unfinished (the run writing it did not complete); nothing "
                "was changed",
                dir);
    tg_diag_hint(d, "check the folder and remove it yourself, or choose another folder with -o");
    g_array_free(m, TRUE);
    return false;
  }
  GHashTable *owned = g_hash_table_new(g_str_hash, g_str_equal);
  bool ok = true;
  for (guint i = 0; i < m->len && ok; i++) {
    marker_entry *e = &g_array_index(m, marker_entry, i);
    g_hash_table_insert(owned, e->rel, GINT_TO_POINTER(e->is_dir ? 2 : 1));
    if (e->is_dir) continue;
    char *full = g_build_filename(dir, e->rel, NULL);
    struct stat st;
    if (lstat(full, &st) == 0) {
      char *hex = S_ISREG(st.st_mode) && st.st_size == e->size ? tg_sha256_file(full, d) : NULL;
      if (!hex || !e->sha256 || strcmp(hex, e->sha256) != 0) {
        tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.changed",
                    "%s was changed after tegami wrote it; nothing was changed", full);
        tg_diag_hint(d, "choose another folder with -o, or move the changed file away first");
        ok = false;
      }
      g_free(hex);
    }
    g_free(full);
  }
  char *foreign = NULL;
  if (ok && find_foreign(dir, NULL, owned, &foreign)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.foreign-file",
                "%s/%s was not written by tegami; %s was not replaced and nothing was changed", dir,
                foreign, dir);
    tg_diag_hint(d, "choose another folder with -o, or move that file away first");
    g_free(foreign);
    ok = false;
  }
  g_hash_table_destroy(owned);
  g_array_free(m, TRUE);
  return ok;
}

/* ".NAME.tmp-PID-N" of a listed "NAME" (tg_temp_path_for). */
static void remove_temporaries_of(const char *dir, const char *rel) {
  char *sub = g_path_get_dirname(rel), *base = g_path_get_basename(rel);
  char *folder = g_build_filename(dir, sub, NULL);
  char *prefix = g_strdup_printf(".%s.tmp-", base);
  GDir *gd = g_dir_open(folder, 0, NULL);
  const char *name;
  while (gd && (name = g_dir_read_name(gd)))
    if (g_str_has_prefix(name, prefix)) {
      char *p = g_build_filename(folder, name, NULL);
      struct stat st;
      if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) unlink(p);
      g_free(p);
    }
  if (gd) g_dir_close(gd);
  g_free(prefix);
  g_free(folder);
  g_free(sub);
  g_free(base);
}

static gint by_depth_desc(gconstpointer a, gconstpointer b) {
  const marker_entry *x = a, *y = b;
  size_t lx = strlen(x->rel), ly = strlen(y->rel);
  return lx < ly ? 1 : lx > ly ? -1 : 0;
}

bool tg_owned_remove(const char *dir, tg_diag *d) {
  struct stat st;
  if (lstat(dir, &st) != 0) return errno == ENOENT;
  bool complete = false;
  GArray *m = S_ISDIR(st.st_mode) ? marker_read(dir, &complete) : NULL;
  if (!m) {
    tg_diag_add(d, TG_WARNING, TG_KIND_USAGE, "output.not-owned",
                "%s was not written by tegami (it has no .tegami-output marker); it was left "
                "in place",
                dir);
    return false;
  }
  for (guint i = 0; i < m->len; i++) {
    marker_entry *e = &g_array_index(m, marker_entry, i);
    if (e->is_dir) continue;
    char *full = g_build_filename(dir, e->rel, NULL);
    if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode)) unlink(full);
    g_free(full);
    remove_temporaries_of(dir, e->rel);
  }
  g_array_sort(m, by_depth_desc);
  for (guint i = 0; i < m->len; i++) {
    marker_entry *e = &g_array_index(m, marker_entry, i);
    char *full = g_build_filename(dir, e->rel, NULL);
    if (e->is_dir) rmdir(full);
    g_free(full);
  }
  char *path = g_build_filename(dir, TG_OWNED_MARKER, NULL);
  GDir *gd = g_dir_open(dir, 0, NULL);
  const char *name;
  while (gd && (name = g_dir_read_name(gd))) /* a marker being rewritten when the run died */
    if (g_str_has_prefix(name, TG_OWNED_MARKER ".new-")) {
      char *p = g_build_filename(dir, name, NULL);
      unlink(p);
      g_free(p);
    }
  if (gd) g_dir_close(gd);
  unlink(path);
  g_free(path);
  g_array_free(m, TRUE);
  if (rmdir(dir) == 0) return true;
  GHashTable *none = g_hash_table_new(g_str_hash, g_str_equal);
  char *foreign = NULL;
  if (find_foreign(dir, NULL, none, &foreign)) {
    tg_diag_add(d, TG_WARNING, TG_KIND_SYSTEM, "output.foreign-file",
                "%s/%s was not written by tegami; it was left in place, and with it %s", dir,
                foreign, dir);
    g_free(foreign);
  } else {
    tg_diag_add(d, TG_WARNING, TG_KIND_SYSTEM, "io.remove", "cannot remove %s: %s", dir,
                g_strerror(errno));
  }
  g_hash_table_destroy(none);
  return false;
}

void tg_owned_abort(tg_owned_dir *o, tg_diag *d) {
  if (!o) return;
  char *dir = g_strdup(o->dir);
  owned_release(o);
  tg_owned_remove(dir, d);
  g_free(dir);
}
