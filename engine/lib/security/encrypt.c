/* encrypt.c — passwords and AES-256 encryption of finished PDFs (libqpdf).
 *
 * Part of the security stage: it works on files the run has already finished
 * (API: tegami/security.h, "encryption of finished PDFs").  Encryption is PDF
 * 2.0 standard security, revision 6 (AESV3): AES-256 for the content and the
 * SHA-2 family for the key derivation, all on the CRYPTREC list.  Every
 * permission is granted (printing included): the aim is confidentiality in
 * transit and at rest, not restricting the print vendor.
 *
 * Passwords never come from the command line (visible in `ps` and shell
 * history): only from a private file or an environment variable.  They live
 * in a locked buffer that is wiped when freed, and are never written into a
 * message.  libqpdf is told to keep quiet — the library never prints — and its
 * errors become diagnostics.
 */
#include "security/security_private.h"

#include <errno.h>
#include <fcntl.h>
#include <qpdf/qpdf-c.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIN_PASSWORD_CHARS 12
#define MAX_PASSWORD_BYTES 127 /* R6 uses at most 127 bytes of the password */
#define SECRET_CAP         1024

struct tg_secret {
  char *buf; /* NUL-terminated, SECRET_CAP bytes, locked when possible */
  size_t len;
  bool locked;
};

static tg_secret *secret_alloc(void) {
  tg_secret *s = g_new0(tg_secret, 1);
  s->buf = g_malloc0(SECRET_CAP);
  s->locked = mlock(s->buf, SECRET_CAP) == 0;
  return s;
}

void tg_secret_free(tg_secret *s) {
  if (!s) return;
  explicit_bzero(s->buf, SECRET_CAP);
  if (s->locked) munlock(s->buf, SECRET_CAP);
  g_free(s->buf);
  g_free(s);
}

/* Check a password; `where` names its source for messages (never the value). */
static bool check_password(const tg_secret *s, const char *where, tg_diag *d) {
  if (!g_utf8_validate(s->buf, (gssize)s->len, NULL)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.password-format",
                "the password in %s is not valid UTF-8 text", where);
    return false;
  }
  for (size_t i = 0; i < s->len; i++)
    if ((unsigned char)s->buf[i] < 0x20 || s->buf[i] == 0x7F) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.password-format",
                  "the password in %s contains a control character or a second line", where);
      return false;
    }
  size_t chars = (size_t)g_utf8_strlen(s->buf, (gssize)s->len);
  if (chars < MIN_PASSWORD_CHARS || s->len > MAX_PASSWORD_BYTES) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.password-length",
                "the password in %s must have at least %d characters and at most %d bytes", where,
                MIN_PASSWORD_CHARS, MAX_PASSWORD_BYTES);
    tg_diag_hint(d, "use a long random password, e.g. 20 characters from a password generator");
    return false;
  }
  return true;
}

tg_secret *tg_secret_from_file(const char *path, tg_diag *d) {
  /* O_NONBLOCK: a pipe must not block before fstat() refuses it.
   * O_NOFOLLOW: a link is refused like a linked output folder — whoever can
   * change the link chooses the password, and its mode says nothing */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0 && errno == ELOOP) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.password-file",
                "the password file %s is a symbolic link; refusing to read through it", path);
    tg_diag_hint(d, "give the path of the file itself");
    return NULL;
  }
  if (fd < 0) {
    tg_diag_add(d, TG_ERROR, errno == ENOENT ? TG_KIND_SCHEMA : TG_KIND_SYSTEM,
                errno == ENOENT ? "io.not-found" : "io.open",
                "cannot open the password file %s: %s", path, g_strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.password-file",
                "the password file %s is not a regular file", path);
    close(fd);
    return NULL;
  }
  if (st.st_mode & 077) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.password-file",
                "the password file %s can be read by other users (mode %03o)", path,
                (unsigned)(st.st_mode & 0777));
    tg_diag_hint(d, "chmod 600 %s", path);
    close(fd);
    return NULL;
  }
  tg_secret *s = secret_alloc();
  size_t len = 0;
  ssize_t n;
  while (len < SECRET_CAP - 1 && (n = read(fd, s->buf + len, SECRET_CAP - 1 - len)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read the password file %s", path);
      close(fd);
      tg_secret_free(s);
      return NULL;
    }
    len += (size_t)n;
  }
  close(fd);
  /* the first line only, without its line end; nothing may follow it */
  char *nl = memchr(s->buf, '\n', len);
  if (nl && (size_t)(nl - s->buf) + 1 == len) len--;
  if (len && s->buf[len - 1] == '\r') len--;
  explicit_bzero(s->buf + len, SECRET_CAP - len);
  s->len = len;
  if (!check_password(s, path, d)) {
    tg_secret_free(s);
    return NULL;
  }
  return s;
}

tg_secret *tg_secret_from_env(const char *name, tg_diag *d) {
  const char *v = g_getenv(name);
  if (!v || !*v) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "encrypt.password-missing",
                "the environment variable %s that should hold the password is not set", name);
    return NULL;
  }
  tg_secret *s = secret_alloc();
  s->len = g_strlcpy(s->buf, v, SECRET_CAP);
  char *where = g_strdup_printf("the environment variable %s", name);
  if (s->len >= SECRET_CAP) s->len = SECRET_CAP - 1;
  bool ok = check_password(s, where, d);
  g_free(where);
  if (!ok) {
    tg_secret_free(s);
    return NULL;
  }
  return s;
}

/* Turn qpdf's pending error (if any) into a diagnostic. */
static bool qpdf_failed(qpdf_data q, QPDF_ERROR_CODE rc, const char *path, const char *doing,
                        tg_diag *d) {
  if (!(rc & QPDF_ERRORS) && !qpdf_has_error(q)) return false;
  const char *detail = "";
  if (qpdf_has_error(q)) {
    qpdf_error e = qpdf_get_error(q);
    detail = qpdf_get_error_message_detail(q, e);
  }
  tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "encrypt.qpdf", "cannot %s %s: %s", doing, path,
              detail && *detail ? detail : "libqpdf reported an error");
  return true;
}

static qpdf_data quiet_qpdf(void) {
  qpdf_data q = qpdf_init();
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  return q;
}

/* Encrypt `len` bytes of PDF and write the result to `path` once, checked
 * first: it must open with the password, and only with it. */
static bool encrypt_to_file(const uint8_t *pdf, size_t len, const char *path,
                            const tg_secret *password, tg_diag *d) {
  qpdf_data q = quiet_qpdf();
  QPDF_ERROR_CODE rc = qpdf_read_memory(q, path, (const char *)pdf, len, NULL);
  /* a password error means the file is encrypted already */
  qpdf_error err = qpdf_has_error(q) ? qpdf_get_error(q) : NULL;
  bool locked = err && qpdf_get_error_code(q, err) == qpdf_e_password;
  bool ok = !(rc & QPDF_ERRORS) && !err;
  if (!ok && !locked)
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "encrypt.qpdf", "cannot read the PDF %s: %s", path,
                err ? qpdf_get_error_message_detail(q, err) : "libqpdf reported an error");
  int pages = ok ? qpdf_get_num_pages(q) : -1;
  if (locked || (ok && qpdf_is_encrypted(q))) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "encrypt.already", "%s is already encrypted", path);
    ok = false;
  }
  if (ok && pages < 0) ok = !qpdf_failed(q, QPDF_ERRORS, path, "read the pages of", d);
  if (ok) ok = !qpdf_failed(q, qpdf_init_write_memory(q), path, "encrypt", d);
  if (ok) {
    qpdf_set_r6_encryption_parameters2(q, password->buf, password->buf, QPDF_TRUE, QPDF_TRUE,
                                       QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, qpdf_r3p_full,
                                       QPDF_TRUE);
    ok = !qpdf_failed(q, qpdf_write(q), path, "encrypt", d);
  }
  const unsigned char *out = ok ? qpdf_get_buffer(q) : NULL;
  size_t out_len = ok ? qpdf_get_buffer_length(q) : 0;
  if (ok) {
    qpdf_data c = quiet_qpdf();
    ok = !qpdf_failed(c, qpdf_read_memory(c, path, (const char *)out, out_len, password->buf), path,
                      "check the encrypted", d);
    if (ok && (!qpdf_is_encrypted(c) || qpdf_get_num_pages(c) != pages)) {
      tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "encrypt.qpdf",
                  "the encrypted copy of %s did not check out; nothing was written", path);
      ok = false;
    }
    qpdf_cleanup(&c);
  }
  /* one write, of encrypted bytes only: a private temporary, renamed */
  tg_atomic *a = ok ? tg_atomic_open(path, d) : NULL;
  if (a && fwrite(out, 1, out_len, tg_atomic_get_file(a)) != out_len) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", path,
                g_strerror(errno ? errno : EIO));
    tg_atomic_abort(a);
    a = NULL;
  }
  ok = a && tg_atomic_commit(a, d);
  qpdf_cleanup(&q);
  return ok;
}

bool tg_pdf_write_encrypted(const uint8_t *pdf, size_t len, const char *path, void *password,
                            tg_diag *d) {
  return encrypt_to_file(pdf, len, path, password, d);
}

bool tg_pdf_encrypt(const char *path, const tg_secret *password, tg_diag *d) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    tg_diag_add(d, TG_ERROR, errno == ENOENT ? TG_KIND_SCHEMA : TG_KIND_SYSTEM,
                errno == ENOENT ? "io.not-found" : "io.open", "cannot open %s: %s", path,
                g_strerror(errno));
    return false;
  }
  if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.symlink",
                "%s is not a regular file (a symbolic link?); refusing to replace it", path);
    return false;
  }
  gchar *pdf = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &pdf, &len, &err)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s: %s", path, err->message);
    g_error_free(err);
    return false;
  }
  bool ok = encrypt_to_file((const uint8_t *)pdf, len, path, password, d);
  g_free(pdf);
  return ok;
}
