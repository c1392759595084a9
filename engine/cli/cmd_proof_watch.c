/* cmd_proof_watch.c — `tegami proof DESIGN --personas F --watch`: the
 * designer's loop.
 *
 * Proofs once, then polls the stamp of the proof's inputs
 * (tg_proof_inputs_stamp: the design's folder with its includes and images,
 * the personas, the fontset) four times a second and proofs again when it
 * changed and then stayed the same for one more poll (an editor's save is
 * often two writes).  After every proof, DIR/watch.js gets the next version
 * number and the messages (tg_proof_watch_publish); DIR/index.html polls it
 * and reloads itself, or shows the errors with their carets over the last
 * good letters.  The messages are also printed here, as proof prints them.
 * Ctrl-C (or SIGTERM, SIGHUP) ends the loop after the proof in progress:
 * the folder is left with complete proofs, and the exit code is 0.
 */
#include <glib.h>
#include <signal.h>
#include <string.h>

#include "cli.h"

enum { POLL_US = 250000 };

static volatile sig_atomic_t stop_signal; /* the signal handler's only channel */

static void on_stop_signal(int sig) { stop_signal = sig; }

static void catch_stop_signals(void) {
  static const int SIGNALS[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa = {0};
  sa.sa_handler = on_stop_signal;
  sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends at once */
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < G_N_ELEMENTS(SIGNALS); i++)
    sigaction(SIGNALS[i], &sa, NULL);
}

static bool has_code(const tg_diag *d, const char *code) {
  for (size_t i = 0; i < tg_diag_count(d); i++)
    if (strcmp(tg_diag_get(d, i)->code, code) == 0) return true;
  return false;
}

/* One proof and its publication; *fatal when the loop cannot go on (the
 * folder holds proofs not to be replaced, or a file cannot be written). */
static void proof_once(const char *design, tg_proof_options *po, unsigned version, bool *fatal) {
  tg_diag *d = tg_diag_new();
  tg_proof_summary sum;
  po->watch_version = version;
  bool ok = tg_proof(design, po, &sum, d);
  cli_print_diags(d);
  if (!ok && has_code(d, "output.exists")) {
    *fatal = true;
  } else {
    tg_diag *err = tg_diag_new();
    if (!tg_proof_watch_publish(po, version, ok, d, err)) *fatal = true;
    cli_print_diags(err);
    tg_diag_free(err);
    if (ok) cli_proof_print_summary(po, &sum);
    fprintf(stderr,
            ok ? _("watch: version %u written\n")
               : _("watch: version %u failed: the page shows the messages\n"),
            version);
  }
  tg_diag_free(d);
}

int cli_proof_watch(const char *design, tg_proof_options *po) {
  catch_stop_signals();
  unsigned version = 1;
  bool fatal = false;
  uint64_t stamp = tg_proof_inputs_stamp(design, po);
  proof_once(design, po, version, &fatal);
  if (fatal) return TG_EXIT_USAGE;
  /* later proofs replace this loop's own */
  po->force = true;
  fprintf(stderr, _("watching %s and %s: open %s/index.html; Ctrl-C ends\n"), design, po->personas,
          po->out_dir);
  while (!stop_signal && !fatal) {
    g_usleep(POLL_US);
    uint64_t now = tg_proof_inputs_stamp(design, po);
    if (now == stamp || stop_signal) continue;
    /* wait until the files stop changing */
    for (;;) {
      g_usleep(POLL_US);
      uint64_t settled = tg_proof_inputs_stamp(design, po);
      if (settled == now || stop_signal) break;
      now = settled;
    }
    if (stop_signal) break;
    stamp = now;
    proof_once(design, po, ++version, &fatal);
  }
  fprintf(stderr, _("watch ended after %u proofs\n"), version);
  return fatal ? TG_EXIT_SYSTEM : TG_EXIT_OK;
}
