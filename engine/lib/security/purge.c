/* purge.c — removing a job's outputs and temporaries at the end of the work.
 *
 * Part of the security stage: it removes what the run wrote (API and the rule
 * that decides what is a tegami output folder: tegami/security.h, "purge").
 * The walk is done twice over open directory descriptors — once to decide,
 * once to remove — with every entry looked at through lstat-like calls and
 * every sub-folder opened O_NOFOLLOW, so no symbolic link is ever followed,
 * even one swapped in between the two walks.  Nothing is removed unless the
 * whole folder passes the check.
 *
 * Files are unlinked, not overwritten first: on SSDs, journaling and
 * copy-on-write filesystems an overwrite does not reach the old blocks, so
 * it would only give false assurance (docs/security.md says what does work).
 */
#include "security/security_private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 4

static const char *const OUTPUT_EXTENSIONS[] = {".pdf", ".csv", ".tsv", ".json", ".txt", ".png"};

/* ".NAME.tmp-PID-N", as made by tg_temp_path_for(). */
static bool is_temporary(const char *name) {
  if (name[0] != '.') return false;
  const char *t = g_strrstr(name, ".tmp-");
  if (!t || t == name) return false;
  const char *p = t + 5;
  if (!g_ascii_isdigit(*p)) return false;
  while (g_ascii_isdigit(*p))
    p++;
  if (*p++ != '-' || !g_ascii_isdigit(*p)) return false;
  while (g_ascii_isdigit(*p))
    p++;
  return *p == '\0';
}

static bool is_output_name(const char *name) {
  if (is_temporary(name)) return true;
  if (strcmp(name, "SHA256SUMS") == 0) return true;    /* the checksums every run writes last */
  if (strcmp(name, TG_OWNED_MARKER) == 0) return true; /* what tegami wrote (base/outdir.c) */
  if (name[0] == '.') return false;
  for (size_t i = 0; i < G_N_ELEMENTS(OUTPUT_EXTENSIONS); i++)
    if (g_str_has_suffix(name, OUTPUT_EXTENSIONS[i]) && strlen(name) > strlen(OUTPUT_EXTENSIONS[i]))
      return true;
  return false;
}

/* summary.json as output_write_summary() writes it. */
static bool is_tegami_summary(int dirfd) {
  int fd = openat(dirfd, "summary.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  static const char head[] = "{\n  \"job\": \"";
  char buf[sizeof head];
  ssize_t n = read(fd, buf, sizeof head - 1);
  close(fd);
  return n == (ssize_t)(sizeof head - 1) && memcmp(buf, head, sizeof head - 1) == 0;
}

typedef struct {
  bool remove; /* second walk */
  bool any_temporary;
  size_t unknown;
  tg_purge_result *res;
  GPtrArray *paths;
  tg_audit_entry *audit;
  tg_diag *d;
} walk;

static int open_dir_at(int dirfd, const char *name) {
  return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static gint cmp_name(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the names of a directory (sorted, for a stable removal order). */
static GPtrArray *dir_names(int fd) {
  int dup_fd = dup(fd);
  DIR *dir = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
  if (!dir) {
    if (dup_fd >= 0) close(dup_fd);
    return NULL;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  struct dirent *de;
  rewinddir(dir); /* the descriptor is shared with the caller's: start over */
  while ((de = readdir(dir)))
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      g_ptr_array_add(names, g_strdup(de->d_name));
  closedir(dir);
  g_ptr_array_sort(names, cmp_name);
  return names;
}

static void unknown(walk *W, const char *path, const char *why) {
  W->unknown++;
  tg_diag_add(W->d, TG_ERROR, TG_KIND_USAGE, "purge.unknown-entry",
              "%s is %s, which tegami does not write; nothing was removed", path, why);
}

/* Walk the directory open at fd (its path for messages: `path`). */
static bool walk_dir(walk *W, int fd, const char *path, int depth) {
  GPtrArray *names = dir_names(fd);
  if (!names) {
    tg_diag_add(W->d, TG_ERROR, TG_KIND_SYSTEM, "purge.io", "cannot list %s: %s", path,
                g_strerror(errno));
    return false;
  }
  bool ok = true;
  for (guint i = 0; i < names->len && ok; i++) {
    const char *name = g_ptr_array_index(names, i);
    char *child = g_build_filename(path, name, NULL);
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      tg_diag_add(W->d, TG_ERROR, TG_KIND_SYSTEM, "purge.io", "cannot examine %s: %s", child,
                  g_strerror(errno));
      ok = false;
    } else if (S_ISLNK(st.st_mode)) {
      if (!W->remove)
        unknown(W, child, "a symbolic link");
      else
        ok = false; /* appeared between the walks */
    } else if (S_ISDIR(st.st_mode)) {
      int sub = depth < MAX_DEPTH ? open_dir_at(fd, name) : -1;
      if (sub < 0) {
        if (!W->remove)
          unknown(W, child,
                  depth < MAX_DEPTH ? "a folder that cannot be opened"
                                    : "a folder nested too deep");
        else
          ok = false;
      } else {
        ok = walk_dir(W, sub, child, depth + 1);
        close(sub);
        if (ok && W->remove) {
          if (unlinkat(fd, name, AT_REMOVEDIR) != 0) {
            tg_diag_add(W->d, TG_ERROR, TG_KIND_SYSTEM, "purge.io", "cannot remove %s: %s", child,
                        g_strerror(errno));
            ok = false;
          } else {
            W->res->ndirs++;
          }
        }
      }
    } else if (!S_ISREG(st.st_mode)) {
      if (!W->remove)
        unknown(W, child, "a special file");
      else
        ok = false;
    } else if (!is_output_name(name)) {
      if (!W->remove)
        unknown(W, child, "a file");
      else
        ok = false;
    } else {
      if (is_temporary(name)) W->any_temporary = true;
      if (W->remove) {
        if (W->audit) tg_audit_entry_add_file(W->audit, "removed", child, W->d);
        if (unlinkat(fd, name, 0) != 0) {
          tg_diag_add(W->d, TG_ERROR, TG_KIND_SYSTEM, "purge.io", "cannot remove %s: %s", child,
                      g_strerror(errno));
          ok = false;
        }
      }
      if (ok) {
        W->res->nfiles++;
        W->res->bytes += (uint64_t)st.st_size;
        g_ptr_array_add(W->paths, g_strdup(child));
      }
    }
    g_free(child);
  }
  g_ptr_array_free(names, TRUE);
  return ok;
}

void tg_purge_result_clear(tg_purge_result *r) {
  if (r->paths) g_strfreev(r->paths);
  memset(r, 0, sizeof *r);
}

bool tg_purge(const char *dir, const tg_purge_options *opt, tg_purge_result *result,
              tg_audit_entry *audit, tg_diag *d) {
  memset(result, 0, sizeof *result);
  bool dry = opt && opt->dry_run;
  struct stat st;
  if (lstat(dir, &st) != 0) {
    tg_diag_add(d, TG_ERROR, errno == ENOENT ? TG_KIND_SCHEMA : TG_KIND_SYSTEM,
                errno == ENOENT ? "io.not-found" : "io.open", "cannot open %s: %s", dir,
                g_strerror(errno));
    return false;
  }
  if (S_ISLNK(st.st_mode)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "purge.symlink",
                "%s is a symbolic link; purge does not follow links (name the folder itself)", dir);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "purge.not-output", "%s is not a folder", dir);
    return false;
  }
  if (st.st_uid != geteuid()) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "purge.owner",
                "%s belongs to another user; purge only removes your own outputs", dir);
    return false;
  }
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "purge.io", "cannot open %s: %s", dir,
                g_strerror(errno));
    return false;
  }
  /* first walk: decide */
  walk W = {.res = result, .paths = g_ptr_array_new_with_free_func(g_free), .d = d};
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  bool ok = walk_dir(&W, fd, dir, 0);
  bool recognised = is_tegami_summary(fd) || W.any_temporary;
  if (ok && !recognised) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "purge.not-output",
                "%s is not a tegami output folder (no summary.json written by tegami, no tegami "
                "temporary files); nothing was removed",
                dir);
    ok = false;
  }
  ok = ok && W.unknown == 0 && tg_diag_count_at_least(d, TG_ERROR) == errors_before;
  if (ok && !dry) {
    /* second walk: remove, re-checking every entry */
    g_ptr_array_set_size(W.paths, 0);
    result->nfiles = 0;
    result->bytes = 0;
    W.remove = true;
    W.audit = audit;
    ok = walk_dir(&W, fd, dir, 0);
    if (!ok && tg_diag_count_at_least(d, TG_ERROR) == errors_before)
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "purge.changed",
                  "%s changed while it was being purged; some files were removed, see the list",
                  dir);
    if (ok && rmdir(dir) != 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "purge.io", "cannot remove %s: %s", dir,
                  g_strerror(errno));
      ok = false;
    } else if (ok) {
      result->ndirs++;
    }
  }
  close(fd);
  g_ptr_array_add(W.paths, NULL);
  result->paths = (char **)g_ptr_array_free(W.paths, FALSE);
  if (audit) {
    char *abs = g_canonicalize_filename(dir, NULL);
    tg_audit_entry_set_string(audit, "dir", abs);
    g_free(abs);
    tg_audit_entry_set_count(audit, "files", result->nfiles);
    tg_audit_entry_set_count(audit, "folders", result->ndirs);
    tg_audit_entry_set_count(audit, "bytes", result->bytes);
  }
  return ok;
}
