/* audit.c — the audit log: an append-only, hash-chained record of operations.
 *
 * Part of the security stage; it records what commands did with jobs,
 * lists and outputs (API and format: tegami/security.h, "audit log").  One line
 * per command:
 *
 *   {"seq":3,"time":"2026-10-01T09:12:03.120417+09:00","user":"tanaka",
 *    "uid":1000,"host":"kenko-pc01","pid":4711,"tegami":"0.1.0",
 *    "command":"run","exit":0,"job_id":"sample-2026-10",
 *    "counts":{"read":12,...},"lists":[...],"files":[{"role":"job",...}],
 *    "prev":"<SHA-256 of line 2>"}
 *
 * "seq" is always first and "prev" always last, so verification needs no
 * JSON parser: a line is checked byte for byte against its predecessor.
 * Appending takes an exclusive flock() on the log, reads only its last line,
 * writes the new line with one write() on an O_APPEND descriptor and
 * fsync()s — concurrent commands never fork the chain, and a crash leaves at
 * worst an incomplete last line, which verification reports and appending
 * refuses (the log is never silently "repaired").
 */
#include "security/security_private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define GENESIS         "0000000000000000000000000000000000000000000000000000000000000000"
#define SEQ_PREFIX      "{\"seq\":"
#define PREV_PREFIX     ",\"prev\":\""
#define PREV_SUFFIX_LEN (sizeof PREV_PREFIX - 1 + 64 + 2) /* ,"prev":"<64>"} */
#define MAX_LINE_BYTES  (16u << 20)

struct tg_audit_entry {
  char *command;
  int exit_code;
  bool has_exit;
  GString *strings; /* ,"key":"value" ... */
  GString *counts;  /* "key":n,... */
  GString *lists;   /* {...},{...} */
  GString *files;   /* {...},{...} */
};

/* ---- JSON text ------------------------------------------------------------------ */

static void json_str(GString *o, const char *s) {
  char *valid = g_utf8_make_valid(s ? s : "", -1);
  g_string_append_c(o, '"');
  for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf(o, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7F)
      g_string_append_printf(o, "\\u%04x", *p);
    else
      g_string_append_c(o, (char)*p);
  }
  g_string_append_c(o, '"');
  g_free(valid);
}

static bool valid_key(const char *key) {
  if (!key || !*key) return false;
  for (const char *p = key; *p; p++)
    if (!(g_ascii_islower(*p) || *p == '_' || g_ascii_isdigit(*p))) return false;
  return true;
}

static void sep(GString *o) {
  if (o->len) g_string_append_c(o, ',');
}

/* ---- entries -------------------------------------------------------------------- */

tg_audit_entry *tg_audit_entry_new(const char *command) {
  tg_audit_entry *e = g_new0(tg_audit_entry, 1);
  e->command = g_strdup(command);
  e->strings = g_string_new(NULL);
  e->counts = g_string_new(NULL);
  e->lists = g_string_new(NULL);
  e->files = g_string_new(NULL);
  return e;
}

void tg_audit_entry_free(tg_audit_entry *e) {
  if (!e) return;
  g_free(e->command);
  g_string_free(e->strings, TRUE);
  g_string_free(e->counts, TRUE);
  g_string_free(e->lists, TRUE);
  g_string_free(e->files, TRUE);
  g_free(e);
}

void tg_audit_entry_set_exit(tg_audit_entry *e, int exit_code) {
  e->exit_code = exit_code;
  e->has_exit = true;
}

void tg_audit_entry_set_string(tg_audit_entry *e, const char *key, const char *value) {
  g_return_if_fail(valid_key(key));
  g_string_append_c(e->strings, ',');
  json_str(e->strings, key);
  g_string_append_c(e->strings, ':');
  json_str(e->strings, value);
}

void tg_audit_entry_set_count(tg_audit_entry *e, const char *key, uint64_t n) {
  g_return_if_fail(valid_key(key));
  sep(e->counts);
  json_str(e->counts, key);
  g_string_append_printf(e->counts, ":%" G_GUINT64_FORMAT, n);
}

/* SHA-256 and size of a regular file read through an open descriptor. */
static bool hash_fd(int fd, char hex[65], uint64_t *bytes) {
  GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
  unsigned char buf[65536];
  ssize_t n;
  uint64_t total = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    g_checksum_update(ck, buf, (gssize)n);
    total += (uint64_t)n;
  }
  if (n == 0) g_strlcpy(hex, g_checksum_get_string(ck), 65);
  g_checksum_free(ck);
  *bytes = total;
  return n == 0;
}

static int cmp_str(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect "sha256  rel/path" lines of every regular file under dirfd. */
static bool manifest_dir(int dirfd, const char *rel, GPtrArray *lines, uint64_t *bytes, int depth) {
  if (depth > 16) return false;
  int fd = dup(dirfd);
  DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dir) {
    if (fd >= 0) close(fd);
    return false;
  }
  bool ok = true;
  struct dirent *de;
  rewinddir(dir); /* the descriptor is shared with the caller's: start over */
  while ((de = readdir(dir))) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    char *path = *rel ? g_strconcat(rel, "/", de->d_name, NULL) : g_strdup(de->d_name);
    struct stat st;
    if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      ok = sub >= 0 && manifest_dir(sub, path, lines, bytes, depth + 1) && ok;
      if (sub >= 0) close(sub);
    } else if (S_ISREG(st.st_mode)) {
      int f = openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      char hex[65];
      uint64_t n = 0;
      if (f >= 0 && hash_fd(f, hex, &n)) {
        g_ptr_array_add(lines, g_strdup_printf("%s  %s\n", hex, path));
        *bytes += n;
      } else {
        ok = false;
      }
      if (f >= 0) close(f);
    }
    g_free(path);
  }
  closedir(dir);
  return ok;
}

bool tg_audit_entry_add_file(tg_audit_entry *e, const char *role, const char *path, tg_diag *d) {
  char *abs = g_canonicalize_filename(path, NULL);
  /* O_NONBLOCK: a FIFO must not hang the command; only files and folders are hashed */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  bool ok = fd >= 0 && fstat(fd, &st) == 0;
  if (ok && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    ok = false;
    errno = EINVAL;
  }
  char hex[65] = "";
  uint64_t bytes = 0;
  int64_t nfiles = -1;
  if (ok && S_ISDIR(st.st_mode)) {
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    ok = manifest_dir(fd, "", lines, &bytes, 0);
    g_ptr_array_sort(lines, cmp_str);
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    for (guint i = 0; i < lines->len; i++) {
      const char *l = g_ptr_array_index(lines, i);
      g_checksum_update(ck, (const guchar *)l, (gssize)strlen(l));
    }
    g_strlcpy(hex, g_checksum_get_string(ck), sizeof hex);
    g_checksum_free(ck);
    nfiles = lines->len;
    g_ptr_array_free(lines, TRUE);
  } else if (ok) {
    ok = hash_fd(fd, hex, &bytes);
  }
  int err = errno;
  if (fd >= 0) close(fd);
  sep(e->files);
  g_string_append(e->files, "{\"role\":");
  json_str(e->files, role);
  g_string_append(e->files, ",\"path\":");
  json_str(e->files, abs);
  if (ok) {
    g_string_append_printf(e->files, ",\"bytes\":%" G_GUINT64_FORMAT, bytes);
    if (nfiles >= 0) g_string_append_printf(e->files, ",\"files\":%" G_GINT64_FORMAT, nfiles);
    g_string_append_printf(e->files, ",\"sha256\":\"%s\"}", hex);
  } else {
    g_string_append(e->files, ",\"sha256\":null}");
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.hash",
                "cannot read %s to record its SHA-256 in the audit log: %s", path, g_strerror(err));
  }
  g_free(abs);
  return ok;
}

bool tg_audit_entry_add_job(tg_audit_entry *e, const tg_job *job, tg_diag *d) {
  tg_audit_entry_set_string(e, "job_id", job->id);
  bool ok = tg_audit_entry_add_file(e, "job", job->path, d);
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (size_t m = 0; m < job->nmunis; m++)
    for (size_t l = 0; l < job->munis[m].nlists; l++) {
      const tg_list_spec *ls = &job->munis[m].lists[l];
      if (ls->design && g_hash_table_add(seen, (gpointer)ls->design))
        ok = tg_audit_entry_add_file(e, "design", ls->design, d) && ok;
    }
  for (size_t m = 0; m < job->nmunis; m++)
    for (size_t l = 0; l < job->munis[m].nlists; l++) {
      const tg_list_spec *ls = &job->munis[m].lists[l];
      if (ls->file && g_hash_table_add(seen, (gpointer)ls->file))
        ok = tg_audit_entry_add_file(e, "list", ls->file, d) && ok;
    }
  g_hash_table_destroy(seen);
  return ok;
}

bool tg_audit_entry_add_summary(tg_audit_entry *e, const tg_summary *s, tg_diag *d) {
  tg_audit_entry_set_count(e, "read", s->read);
  tg_audit_entry_set_count(e, "rendered", s->rendered);
  tg_audit_entry_set_count(e, "excluded", s->excluded);
  tg_audit_entry_set_count(e, "rejected", s->rejected);
  tg_audit_entry_set_count(e, "blank", s->blank);
  tg_audit_entry_set_count(e, "pages", s->pages);
  for (size_t i = 0; i < s->nlists; i++) {
    const tg_list_summary *l = &s->lists[i];
    sep(e->lists);
    g_string_append(e->lists, "{\"municipality\":");
    json_str(e->lists, l->municipality);
    g_string_append(e->lists, ",\"type\":");
    json_str(e->lists, l->type);
    g_string_append(e->lists, ",\"file\":");
    char *abs = g_canonicalize_filename(l->file ? l->file : "", NULL);
    json_str(e->lists, abs);
    g_free(abs);
    g_string_append_printf(e->lists,
                           ",\"read\":%" G_GUINT64_FORMAT ",\"rendered\":%" G_GUINT64_FORMAT
                           ",\"excluded\":%" G_GUINT64_FORMAT ",\"rejected\":%" G_GUINT64_FORMAT
                           ",\"blank\":%" G_GUINT64_FORMAT "}",
                           l->read, l->rendered, l->excluded, l->rejected, l->blank);
  }
  bool ok = true;
  for (size_t i = 0; i < s->noutputs; i++)
    ok = tg_audit_entry_add_file(e, "output", s->outputs[i], d) && ok;
  return ok;
}

/* ---- the log file ----------------------------------------------------------------- */

char *tg_audit_default_path(void) {
  const char *env = g_getenv("TEGAMI_AUDIT_LOG");
  if (env && *env) return g_strdup(env);
  const char *state = g_getenv("XDG_STATE_HOME");
  if (state && g_path_is_absolute(state))
    return g_build_filename(state, "tegami", "audit.log", NULL);
  return g_build_filename(g_get_home_dir(), ".local", "state", "tegami", "audit.log", NULL);
}

/* Does `line` (len bytes, no line end) have the fixed frame of an entry?
 * Sets *seq and points *prev at its 64 hex digits. */
static bool parse_frame(const char *line, size_t len, uint64_t *seq, const char **prev) {
  size_t pl = sizeof SEQ_PREFIX - 1;
  if (len < pl + 1 + PREV_SUFFIX_LEN || memcmp(line, SEQ_PREFIX, pl) != 0) return false;
  size_t i = pl;
  uint64_t v = 0;
  if (!g_ascii_isdigit(line[i]) || (line[i] == '0')) return false;
  for (; i < len && g_ascii_isdigit(line[i]); i++) {
    if (v > (G_MAXUINT64 - 9) / 10) return false;
    v = v * 10 + (uint64_t)(line[i] - '0');
  }
  if (i >= len || line[i] != ',') return false;
  const char *tail = line + len - PREV_SUFFIX_LEN;
  if (memcmp(tail, PREV_PREFIX, sizeof PREV_PREFIX - 1) != 0) return false;
  const char *hex = tail + sizeof PREV_PREFIX - 1;
  for (int k = 0; k < 64; k++)
    if (!g_ascii_isxdigit(hex[k]) || g_ascii_isupper(hex[k])) return false;
  if (hex[64] != '"' || hex[65] != '}') return false;
  if (!g_utf8_validate(line, (gssize)len, NULL) || memchr(line, '\0', len)) return false;
  *seq = v;
  *prev = hex;
  return true;
}

static void sha256_hex(const char *data, size_t len, char out[65]) {
  char *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
  g_strlcpy(out, h, 65);
  g_free(h);
}

/* Read the last line of the log open at fd: its sequence number and hash.
 * An empty log gives seq 0 and the genesis hash. */
static bool read_tail(int fd, const char *path, uint64_t *seq, char head[65], tg_diag *d) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.io", "cannot read the audit log %s: %s", path,
                g_strerror(errno));
    return false;
  }
  if (st.st_size == 0) {
    *seq = 0;
    g_strlcpy(head, GENESIS, 65);
    return true;
  }
  /* find the start of the last line, reading backwards in chunks */
  off_t end = st.st_size;
  char last;
  if (pread(fd, &last, 1, end - 1) != 1 || last != '\n') {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "audit.incomplete",
                "the audit log %s ends in an incomplete line (the last write was cut short, or "
                "the file was truncated); nothing was appended",
                path);
    tg_diag_hint(d, "run 'tegami audit verify %s', keep the log as evidence and start a new one",
                 path);
    return false;
  }
  off_t start = end - 1;
  char buf[4096];
  bool found = false;
  while (start > 0 && !found) {
    size_t n = start < (off_t)sizeof buf ? (size_t)start : sizeof buf;
    off_t from = start - (off_t)n;
    if (pread(fd, buf, n, from) != (ssize_t)n) break;
    for (size_t i = n; i-- > 0;)
      if (buf[i] == '\n') {
        start = from + (off_t)i + 1;
        found = true;
        break;
      }
    if (!found) start = from;
    if (end - start > (off_t)MAX_LINE_BYTES) break;
  }
  size_t len = (size_t)(end - 1 - start);
  if (len > MAX_LINE_BYTES) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "audit.malformed",
                "the last line of the audit log %s is not an audit entry; nothing was appended",
                path);
    return false;
  }
  char *line = g_malloc(len + 1);
  bool ok = pread(fd, line, len, start) == (ssize_t)len;
  line[len] = '\0';
  const char *prev;
  if (ok && !parse_frame(line, len, seq, &prev)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "audit.malformed",
                "the last line of the audit log %s is not an audit entry; nothing was appended",
                path);
    tg_diag_hint(d, "run 'tegami audit verify %s'", path);
    ok = false;
  } else if (ok) {
    sha256_hex(line, len, head);
  } else {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.io", "cannot read the audit log %s: %s", path,
                g_strerror(errno));
  }
  g_free(line);
  return ok;
}

/* Open (creating it 0600, and its folder 0700) and lock the log. -1 on error. */
static int open_log(const char *path, bool *created, tg_diag *d) {
  char *dir = g_path_get_dirname(path);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents(dir, 0700) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.io",
                "cannot create the folder of the audit log %s: %s", path, g_strerror(errno));
    g_free(dir);
    return -1;
  }
  g_free(dir);
  struct stat st;
  *created = lstat(path, &st) != 0;
  int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, errno == ELOOP ? "audit.symlink" : "audit.io",
                errno == ELOOP
                    ? N_("the audit log %s is a symbolic link; refusing to write through it")
                    : N_("cannot open the audit log %s: %s"),
                path, g_strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.io", "the audit log %s is not a regular file",
                path);
    close(fd);
    return -1;
  }
  if ((st.st_mode & 077) != 0 && st.st_uid == geteuid()) fchmod(fd, 0600);
  while (flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.io", "cannot lock the audit log %s: %s", path,
                  g_strerror(errno));
      close(fd);
      return -1;
    }
  }
  return fd;
}

bool tg_audit_probe(const char *log_path, tg_diag *d) {
  bool created;
  int fd = open_log(log_path, &created, d);
  if (fd < 0) return false;
  uint64_t seq;
  char head[65];
  bool ok = read_tail(fd, log_path, &seq, head, d);
  close(fd);
  return ok;
}

static void fsync_parent(const char *path) {
  char *dir = g_path_get_dirname(path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_free(dir);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

bool tg_audit_append(const char *log_path, const tg_audit_entry *e, tg_audit_written *written,
                     tg_diag *d) {
  bool created;
  int fd = open_log(log_path, &created, d);
  if (fd < 0) return false;
  uint64_t seq;
  char prev[65];
  if (!read_tail(fd, log_path, &seq, prev, d)) {
    close(fd);
    return false;
  }
  seq++;
  GString *o = g_string_new(NULL);
  g_string_append_printf(o, SEQ_PREFIX "%" G_GUINT64_FORMAT ",\"time\":", seq);
  GDateTime *now = g_date_time_new_now_local();
  char *t = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%f%:z");
  json_str(o, t);
  g_free(t);
  g_date_time_unref(now);
  g_string_append(o, ",\"user\":");
  json_str(o, g_get_user_name());
  g_string_append_printf(o, ",\"uid\":%ld,\"host\":", (long)geteuid());
  json_str(o, g_get_host_name());
  g_string_append_printf(o, ",\"pid\":%ld,\"tegami\":", (long)getpid());
  json_str(o, TG_VERSION);
  g_string_append(o, ",\"command\":");
  json_str(o, e->command);
  if (e->has_exit) g_string_append_printf(o, ",\"exit\":%d", e->exit_code);
  g_string_append_len(o, e->strings->str, (gssize)e->strings->len);
  g_string_append_printf(o, ",\"counts\":{%s}", e->counts->str);
  if (e->lists->len) g_string_append_printf(o, ",\"lists\":[%s]", e->lists->str);
  g_string_append_printf(o, ",\"files\":[%s]", e->files->str);
  g_string_append_printf(o, PREV_PREFIX "%s\"}", prev);
  char self[65];
  sha256_hex(o->str, o->len, self);
  g_string_append_c(o, '\n');
  size_t done = 0;
  bool ok = true;
  while (done < o->len) {
    ssize_t n = write(fd, o->str + done, o->len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += (size_t)n;
  }
  int err = errno;
  if (ok && fsync(fd) != 0 && errno != EINVAL) {
    err = errno;
    ok = false;
  }
  if (!ok)
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "audit.io", "cannot write to the audit log %s: %s",
                log_path, g_strerror(err));
  close(fd);
  if (ok && created) fsync_parent(log_path);
  if (ok && written) {
    written->seq = seq;
    g_strlcpy(written->sha256, self, sizeof written->sha256);
  }
  g_string_free(o, TRUE);
  return ok;
}

/* ---- verification ------------------------------------------------------------------ */

static bool parse_anchor(const char *anchor, uint64_t *seq, char hex[65]) {
  const char *colon = strchr(anchor, ':');
  if (!colon || strlen(colon + 1) != 64) return false;
  char *end;
  guint64 v = g_ascii_strtoull(anchor, &end, 10);
  if (end != colon || v == 0) return false;
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit(colon[1 + i])) return false;
  *seq = v;
  g_strlcpy(hex, colon + 1, 65);
  for (int i = 0; i < 64; i++)
    hex[i] = g_ascii_tolower(hex[i]);
  return true;
}

tg_exit tg_audit_verify(const char *log_path, const char *anchor, tg_audit_report *r, tg_diag *d) {
  memset(r, 0, sizeof *r);
  uint64_t anchor_seq = 0;
  char anchor_hex[65] = "";
  if (anchor && !parse_anchor(anchor, &anchor_seq, anchor_hex)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "audit.anchor",
                "the anchor '%s' is not ENTRY:SHA256 (an entry number, a colon and 64 hex digits)",
                anchor);
    return TG_EXIT_USAGE;
  }
  FILE *f = tg_open_input(log_path, "the audit log ", d);
  if (!f) return tg_diag_exit_code(d);
  char prev_hash[65];
  g_strlcpy(prev_hash, GENESIS, sizeof prev_hash);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  uint64_t lineno = 0;
  bool anchor_seen = false;
#define PROBLEM(code, ...)                                                                         \
  do {                                                                                             \
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, code, __VA_ARGS__);                                   \
    r->breaks++;                                                                                   \
    if (!r->first_bad) r->first_bad = lineno;                                                      \
  } while (0)
  while ((n = getline(&line, &cap, f)) > 0) {
    lineno++;
    size_t len = (size_t)n;
    bool complete = line[len - 1] == '\n';
    if (complete) len--;
    uint64_t seq = 0;
    const char *prev = NULL;
    char self[65];
    sha256_hex(line, len, self);
    if (!complete) {
      PROBLEM("audit.incomplete",
              "%s: line %" G_GUINT64_FORMAT " is incomplete: the log was cut short here", log_path,
              lineno);
    } else if (!parse_frame(line, len, &seq, &prev)) {
      PROBLEM("audit.malformed",
              "%s: line %" G_GUINT64_FORMAT " is not an audit entry (it was edited, or is not "
              "part of a tegami audit log)",
              log_path, lineno);
    } else if (memcmp(prev, prev_hash, 64) != 0) {
      if (lineno == 1)
        PROBLEM("audit.chain",
                "%s: line 1 is not the first entry of the log: earlier lines were removed",
                log_path);
      else
        PROBLEM("audit.chain",
                "%s: line %" G_GUINT64_FORMAT " does not follow line %" G_GUINT64_FORMAT
                ": line %" G_GUINT64_FORMAT " was changed, or lines were removed, inserted "
                "or moved here",
                log_path, lineno, lineno - 1, lineno - 1);
    } else if (seq != lineno) {
      PROBLEM("audit.sequence",
              "%s: line %" G_GUINT64_FORMAT " holds entry %" G_GUINT64_FORMAT
              ": entries were removed, inserted or moved",
              log_path, lineno, seq);
    }
    if (anchor_seq == lineno) {
      anchor_seen = true;
      if (strcmp(self, anchor_hex) != 0)
        PROBLEM("audit.anchor-mismatch",
                "%s: entry %" G_GUINT64_FORMAT " is not the one recorded in the anchor: the log "
                "was rewritten up to here",
                log_path, lineno);
    }
    g_strlcpy(prev_hash, self, sizeof prev_hash);
  }
  bool io_error = ferror(f);
  free(line);
  fclose(f);
  if (io_error) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read the audit log %s", log_path);
    return TG_EXIT_SYSTEM;
  }
  if (anchor_seq && !anchor_seen) {
    lineno++;
    PROBLEM("audit.anchor-missing",
            "%s: the log has %" G_GUINT64_FORMAT
            " entries but the anchor names entry %" G_GUINT64_FORMAT
            ": entries were removed from the end",
            log_path, lineno - 1, anchor_seq);
  }
#undef PROBLEM
  r->entries = lineno - (anchor_seq && !anchor_seen ? 1 : 0);
  g_strlcpy(r->head, r->entries ? prev_hash : "", sizeof r->head);
  return r->breaks ? TG_EXIT_INVALID : TG_EXIT_OK;
}
