/* cmd_encrypt.c — `tegami encrypt FILE.pdf... --password-file F | --password-env VAR`.
 *
 * Encrypts finished PDFs in place with AES-256 (PDF 2.0 security, R6), for
 * hand-off to a print vendor or a municipality.  The password is read from a
 * private file or an environment variable — never from the command line,
 * where `ps` and the shell history would show it.  Each encryption is
 * recorded in the audit log (file hashes after encryption, no password).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_encrypt_options[] =
    N_("  --password-file F  read the password from F (mode 0600; first line)\n"
       "  --password-env V   read the password from environment variable V\n"
       "  --audit-log FILE   audit log to record the encryption in\n");

int cmd_encrypt(int argc, char **argv) {
  const char *pw_file = NULL, *pw_env = NULL, *log_opt = NULL;
  char **files = calloc((size_t)argc + 1, sizeof *files);
  int nfiles = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool valued = strcmp(a, "--password-file") == 0 || strcmp(a, "--password-env") == 0 ||
                  strcmp(a, "--audit-log") == 0;
    if (valued && i + 1 >= argc) {
      free(files);
      return cli_usage_error("%s needs a value", a);
    }
    if (strcmp(a, "--password-file") == 0)
      pw_file = argv[++i];
    else if (strcmp(a, "--password-env") == 0)
      pw_env = argv[++i];
    else if (strcmp(a, "--audit-log") == 0)
      log_opt = argv[++i];
    else if (strncmp(a, "--password", 10) == 0) {
      free(files);
      return cli_usage_error("passwords are not taken on the command line (other users can see "
                             "it); use --password-file or --password-env");
    } else if (a[0] == '-' && a[1]) {
      free(files);
      return cli_usage_error("unknown option '%s'", a);
    } else {
      files[nfiles++] = argv[i];
    }
  }
  if (!nfiles || (!pw_file == !pw_env)) {
    free(files);
    return cli_usage_error(
        "encrypt needs PDF files and exactly one of --password-file or --password-env");
  }
  char *log = cli_audit_log_path(log_opt);
  tg_diag *d = tg_diag_new();
  tg_secret *pw = pw_file ? tg_secret_from_file(pw_file, d) : tg_secret_from_env(pw_env, d);
  int code = TG_EXIT_OK;
  if (pw && tg_audit_probe(log, d)) {
    tg_audit_entry *e = tg_audit_entry_new("encrypt");
    tg_audit_entry_set_string(e, "cipher", "AES-256 (PDF 2.0 standard security R6)");
    tg_audit_entry_set_string(e, "password_source", pw_file ? "file" : "environment");
    size_t done = 0;
    for (int i = 0; i < nfiles; i++)
      if (tg_pdf_encrypt(files[i], pw, d)) {
        tg_audit_entry_add_file(e, "encrypted", files[i], d);
        done++;
      }
    tg_audit_entry_set_count(e, "encrypted", done);
    code = tg_diag_exit_code(d);
    tg_audit_entry_set_exit(e, code);
    if (done && !cli_audit_append(log, e, d) && code == TG_EXIT_OK) code = TG_EXIT_SYSTEM;
    tg_audit_entry_free(e);
    if (done) fprintf(stderr, _("encrypted %zu of %d files (AES-256)\n"), done, nfiles);
  }
  tg_secret_free(pw);
  cli_print_diags(d);
  if (code == TG_EXIT_OK) code = tg_diag_exit_code(d);
  tg_diag_free(d);
  free(log);
  free(files);
  return code;
}
