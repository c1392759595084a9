/* ledger.c — append-only, hash-chained CSV ledgers (calls and returned mail).
 *
 * A ledger is a CSV file: a header line, then one entry per line whose
 * first two fields are "seq" (1, 2, 3 …) and "prev", the SHA-256 of the
 * line before it (its bytes without the line end; 64 zeros for entry 1),
 * as the audit log chains its lines (security/audit.c).  Loading checks
 * every link and names the first line that breaks it; appending takes an
 * exclusive lock (flock), checks the chain again under it, writes the new
 * lines with O_APPEND in one write() and fsyncs.  tegami never rewrites or
 * shortens a ledger.  Fields never hold a line end (notes are flattened). */
#include "followup/followup_private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ZEROS[] = "0000000000000000000000000000000000000000000000000000000000000000";

char **fu_csv_split(const char *line) {
  GPtrArray *out = g_ptr_array_new();
  const char *p = line;
  for (;;) {
    GString *f = g_string_new(NULL);
    if (*p == '"') {
      p++;
      while (*p) {
        if (*p == '"' && p[1] == '"') {
          g_string_append_c(f, '"');
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          g_string_append_c(f, *p++);
        }
      }
      while (*p && *p != ',')
        p++;
    } else {
      while (*p && *p != ',')
        g_string_append_c(f, *p++);
    }
    g_ptr_array_add(out, g_string_free(f, FALSE));
    if (*p != ',') break;
    p++;
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

static void sha256_hex(const char *s, size_t n, char out[65]) {
  gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)s, n);
  g_strlcpy(out, h, 65);
  g_free(h);
}

void fu_ledger_clear(fu_ledger *L) {
  if (L->entries) g_ptr_array_free(L->entries, TRUE);
  L->entries = NULL;
}

/* Check the text of a ledger (the whole file) into L. */
static bool ledger_check(const char *path, const char *text, size_t len, const char *header,
                         fu_ledger *L, tg_diag *d) {
  L->entries = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  g_strlcpy(L->head, ZEROS, sizeof L->head);
  if (len == 0) return true;
  if (text[len - 1] != '\n') {
    tg_diag_row(d, TG_ERROR, TG_KIND_SYNTAX, "ledger.malformed", path, 0, NULL,
                "the last line of the ledger is incomplete: nothing is appended to it");
    return false;
  }
  char **lines = g_strsplit(text, "\n", -1);
  bool ok = true;
  uint64_t lineno = 0;
  for (char **l = lines; *l && ok; l++) {
    size_t n = strlen(*l);
    if (n && (*l)[n - 1] == '\r') (*l)[--n] = 0;
    if (!l[1] && n == 0) break; /* after the last line end */
    lineno++;
    if (lineno == 1) {
      if (strcmp(*l, header) != 0) {
        tg_diag_row(d, TG_ERROR, TG_KIND_SYNTAX, "ledger.malformed", path, 1, NULL,
                    "this is not a tegami ledger of this kind (its header differs)");
        ok = false;
      }
      continue;
    }
    char **f = fu_csv_split(*l);
    char *end = NULL;
    guint64 seq = f[0] ? g_ascii_strtoull(f[0], &end, 10) : 0;
    if (!f[0] || !f[1] || *end || seq != lineno - 1) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SYNTAX, "ledger.broken", path, lineno, "seq",
                  "entry out of sequence: a line was removed, inserted or moved");
      ok = false;
    } else if (strcmp(f[1], L->head) != 0) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SYNTAX, "ledger.broken", path, lineno, "prev",
                  "the line before this one was changed (its hash does not match)");
      ok = false;
    }
    if (ok)
      g_ptr_array_add(L->entries, f);
    else
      g_strfreev(f);
    sha256_hex(*l, n, L->head);
  }
  g_strfreev(lines);
  if (!ok) tg_diag_hint(d, "keep the ledger as tegami wrote it; restore it from a backup");
  return ok;
}

bool fu_ledger_load(const char *path, const char *header, fu_ledger *L, tg_diag *d) {
  memset(L, 0, sizeof *L);
  gchar *text = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &text, &len, &err)) {
    bool missing = g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    if (!missing)
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s: %s", path, err->message);
    g_error_free(err);
    if (!missing) return false;
    return ledger_check(path, "", 0, header, L, d);
  }
  bool ok = ledger_check(path, text, len, header, L, d);
  g_free(text);
  return ok;
}

bool tg_ledger_verify(const char *path, uint64_t *entries, tg_diag *d) {
  const char *header = g_str_has_suffix(path, "returns.csv") ? FU_RETURNS_HEADER : FU_CALLS_HEADER;
  fu_ledger L;
  bool ok = fu_ledger_load(path, header, &L, d);
  if (entries) *entries = ok ? L.entries->len : 0;
  fu_ledger_clear(&L);
  return ok;
}

bool fu_ledger_append(const char *path, const char *header, GPtrArray *rows, tg_diag *d) {
  int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot open the ledger %s: %s", path,
                g_strerror(errno));
    return false;
  }
  if (flock(fd, LOCK_EX) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot lock the ledger %s: %s", path,
                g_strerror(errno));
    close(fd);
    return false;
  }
  /* the chain as it is now, under the lock */
  struct stat st;
  GString *text = g_string_new(NULL);
  bool ok = fstat(fd, &st) == 0;
  if (ok && st.st_size > 0) {
    g_string_set_size(text, (gsize)st.st_size);
    ok = pread(fd, text->str, (size_t)st.st_size, 0) == st.st_size;
  }
  fu_ledger L = {0};
  ok = ok && ledger_check(path, text->str, text->len, header, &L, d);
  GString *out = g_string_new(NULL);
  if (ok) {
    if (text->len == 0) g_string_append_printf(out, "%s\r\n", header);
    char prev[65];
    g_strlcpy(prev, L.head, sizeof prev);
    uint64_t seq = L.entries->len;
    GString *line = g_string_new(NULL);
    for (guint i = 0; i < rows->len; i++) {
      char **f = g_ptr_array_index(rows, i);
      g_string_printf(line, "%" G_GUINT64_FORMAT ",%s", ++seq, prev);
      for (char **v = f; *v; v++) {
        g_string_append_c(line, ',');
        char *flat = g_strdelimit(g_strdup(*v), "\r\n", ' ');
        tg_csv_append_field(line, flat);
        g_free(flat);
      }
      sha256_hex(line->str, line->len, prev);
      g_string_append_printf(out, "%s\r\n", line->str);
    }
    g_string_free(line, TRUE);
    ok = write(fd, out->str, out->len) == (ssize_t)out->len && fsync(fd) == 0;
    if (!ok)
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot append to the ledger %s: %s",
                  path, g_strerror(errno));
  }
  fu_ledger_clear(&L);
  g_string_free(out, TRUE);
  g_string_free(text, TRUE);
  flock(fd, LOCK_UN);
  close(fd);
  return ok;
}
