/* tegami/security.h — the audit log, encryption of finished PDFs, purge.
 *
 * Separate from the run loop so that every command can use them; see
 * docs/security.md for what each answers in the customer's requirements.
 * The run encrypts its PDFs in memory with tg_pdf_write_encrypted(): no
 * unencrypted PDF of an encrypted job ever reaches the disk; the CLI records every command in the
 * audit log (a job and its summary, job.h) and purges output folders it recognises as tegami's.
 */
#ifndef TEGAMI_SECURITY_H
#define TEGAMI_SECURITY_H

#include "tegami/diag.h"
#include "tegami/job.h"
#include "tegami/render.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- audit log -----------------------------------------------------------------
 *
 * An append-only record of every operation on personal data, one JSON object
 * per line: when (local time with its UTC offset), who (login name, uid,
 * host), what (command, exit code, job id, the SHA-256 and size of the job
 * file and of every input, the counts, the SHA-256 of every output) — never a
 * name, address or health value.  Each line ends with "prev", the SHA-256 of
 * the line before it (the first line chains to 64 zeros), and starts with
 * "seq", its line number: editing, removing, inserting or reordering lines
 * breaks the chain at a line tg_audit_verify() names.  Rewriting the whole
 * chain consistently is only caught against an anchor (an entry number and
 * hash recorded elsewhere, e.g. in the monthly report): keep one.
 * Lines are appended under an exclusive lock (flock) with O_APPEND, written
 * in one write() and fsync'ed; the file is created 0600 and never rotated or
 * shortened by tegami.
 *
 * Typical use, at the end of a command:
 *   tg_audit_entry *e = tg_audit_entry_new("run");
 *   tg_audit_entry_add_job(e, job, d);         // job file, designs, lists
 *   tg_audit_entry_add_summary(e, &sum, d);    // counts, outputs hashed
 *   tg_audit_entry_set_exit(e, code);
 *   tg_audit_append(log, e, &written, d);      // log: tg_audit_default_path()
 *   tg_audit_entry_free(e);
 */
typedef struct tg_audit_entry tg_audit_entry;

/* The entry of one command ("run", "check", "purge", "encrypt"). */
tg_audit_entry *tg_audit_entry_new(const char *command);
void tg_audit_entry_free(tg_audit_entry *e);
void tg_audit_entry_set_exit(tg_audit_entry *e, int exit_code);
/* A named text value (key: [a-z_]+, e.g. "job_id", "out_dir"). No personal data. */
void tg_audit_entry_set_string(tg_audit_entry *e, const char *key, const char *value);
/* A named count (key: [a-z_]+), listed under "counts". */
void tg_audit_entry_set_count(tg_audit_entry *e, const char *key, uint64_t n);
/* Hash a file now and list it with its role ("job", "design", "list",
 * "output", "removed", "encrypted"...), absolute path, size and SHA-256.  A
 * directory is listed with its file count and the SHA-256 of its manifest
 * (one "sha256  relative/path" line per file, sorted).  False (reported) when
 * it cannot be read; the entry is still usable. */
bool tg_audit_entry_add_file(tg_audit_entry *e, const char *role, const char *path, tg_diag *d);
/* The job: its id ("job_id"), the job file, every design and every list. */
bool tg_audit_entry_add_job(tg_audit_entry *e, const tg_job *job, tg_diag *d);
/* A run's counts (totals and per list: municipality, type, file, counts) and
 * every output it names, hashed. */
bool tg_audit_entry_add_summary(tg_audit_entry *e, const tg_summary *s, tg_diag *d);

/* What tg_audit_append() wrote: the entry's line number and SHA-256 (the new
 * head of the chain — worth printing, so operators can record anchors). */
typedef struct tg_audit_written {
  uint64_t seq;
  char sha256[65];
} tg_audit_written;

/* Append the entry to the log at `log_path` (parent folders are created
 * 0700).  Refuses a log that is a symbolic link, not a regular file, or whose
 * last line is incomplete or malformed (reported; nothing written).
 * `written` may be NULL. */
bool tg_audit_append(const char *log_path, const tg_audit_entry *e, tg_audit_written *written,
                     tg_diag *d);
/* Check, before doing any work, that an entry could be appended to the log
 * (same checks as tg_audit_append, nothing written). */
bool tg_audit_probe(const char *log_path, tg_diag *d);
/* The log to use: $TEGAMI_AUDIT_LOG, else $XDG_STATE_HOME/tegami/audit.log,
 * else ~/.local/state/tegami/audit.log.  Newly allocated (free with free()). */
char *tg_audit_default_path(void);

typedef struct tg_audit_report {
  uint64_t entries;   /* lines read */
  uint64_t breaks;    /* lines that do not follow their predecessor */
  uint64_t first_bad; /* line number of the first problem (0 = none) */
  char head[65];      /* SHA-256 of the last line ("" for an empty log) */
} tg_audit_report;

/* Verify the whole chain of a log.  Every line that does not follow its
 * predecessor (edited, removed, inserted, moved), every malformed or
 * incomplete line is reported with its line number (codes audit.*).
 * `anchor` ("N:SHA256", or NULL) also requires entry N to have that hash, so
 * that lines removed from the end or a rewritten chain are caught.  Returns
 * TG_EXIT_OK, TG_EXIT_INVALID (tampered or malformed) or TG_EXIT_SYSTEM. */
tg_exit tg_audit_verify(const char *log_path, const char *anchor, tg_audit_report *report,
                        tg_diag *d);

/* ---- encryption of finished PDFs ---------------------------------------------------
 *
 * PDF 2.0 standard security handler, revision 6 (AESV3): AES-256-CBC for
 * every string and stream, the file key derived from the password with the
 * SHA-256/384/512 hash of ISO 32000-2 — all ciphers of the CRYPTREC list —
 * through libqpdf.  The password never comes from the command line: it is
 * read from a file that only its owner can read, or from an environment
 * variable, and held in memory that is locked (best effort) and wiped when
 * freed.
 */
typedef struct tg_secret tg_secret;

/* The first line of `path` (a trailing line end is not part of it).  The
 * file must be a regular file that no other user can read (mode 0600 or
 * 0400).  A password is UTF-8 text of at least 12 characters and at most 127
 * bytes, without control characters. */
tg_secret *tg_secret_from_file(const char *path, tg_diag *d);
/* The value of environment variable `name` (same rules). */
tg_secret *tg_secret_from_env(const char *name, tg_diag *d);
/* Wipe and release. */
void tg_secret_free(tg_secret *s);

/* Encrypt the finished PDF at `path` in place: the encrypted file is written
 * to a private temporary beside it, checked (it must open with the password
 * and have the same page count), fsync'ed and renamed over the original, so
 * the path holds either the old file or the complete encrypted one.  Refuses
 * symbolic links and files that are already encrypted. */
bool tg_pdf_encrypt(const char *path, const tg_secret *password, tg_diag *d);
/* Encrypt a PDF held in memory and write it to `path` (0600, a temporary
 * renamed): only encrypted bytes touch the disk.  `password` is a
 * tg_secret*; the signature is a tg_pdf_write_fn (tegami/render.h), for
 * tg_pdf_options.write_out. */
bool tg_pdf_write_encrypted(const uint8_t *pdf, size_t len, const char *path, void *password,
                            tg_diag *d);

/* ---- purge ---------------------------------------------------------------------------
 *
 * Removing a job's outputs at the end of the work.  A folder is purged only
 * when it is recognisably a tegami output folder:
 *   - it is a real directory (not a symbolic link) owned by the caller, and
 *   - it holds a summary.json written by tegami, or (an interrupted run) at
 *     least one tegami temporary ".NAME.tmp-PID-N", and
 *   - everything in it is something tegami writes: regular files named
 *     *.pdf, *.csv, *.tsv, *.json, *.txt, *.png or tegami temporaries, and
 *     sub-folders (proofs/) holding only such files.
 * Anything else — a symbolic link, a device, a file of another kind — stops
 * the purge before anything is removed, and is named.  Files are unlinked
 * (not overwritten: see docs/security.md), then the folders, then DIR
 * itself.  Every removed file is hashed first and listed in `audit` (role
 * "removed") when an entry is given, so the log shows what was destroyed.
 */
typedef struct tg_purge_options {
  bool dry_run; /* decide and list, remove nothing */
} tg_purge_options;

typedef struct tg_purge_result {
  size_t nfiles;  /* files removed (or that would be) */
  size_t ndirs;   /* folders removed, DIR included */
  uint64_t bytes; /* their total size */
  char **paths;   /* NULL-terminated: each file, in removal order */
} tg_purge_result;

bool tg_purge(const char *dir, const tg_purge_options *opt, tg_purge_result *result,
              tg_audit_entry *audit, tg_diag *d);
void tg_purge_result_clear(tg_purge_result *r);

#ifdef __cplusplus
}
#endif
#endif
