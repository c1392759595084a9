/* watch.c — what `tegami proof --watch` needs from the library: a stamp of
 * the proof's inputs, and the small files that make the gallery reload.
 *
 * Part of the qa stage.  The CLI polls tg_proof_inputs_stamp() and proofs
 * again when it changes.  The stamp covers every file a design can read:
 * the design's folder and its subfolders (includes, images and envelopes
 * resolve inside it: .yaml, .yml, .png, .svg, .txt), the personas file and
 * the fontset listing; the output folder, hidden folders and editors'
 * swap files are left out, so that writing the proofs or typing in an
 * editor does not look like a save.  Polling sizes and modification times
 * is simple and works on every file system (network shares included).
 *
 * After each proof, tg_proof_watch_publish() writes DIR/watch.js, one call
 * `tgWatch({"version": N, "ok": true|false, "messages": "…"})`.  index.html
 * (proof.c, with watch_version set) loads it again every second as a
 * script — a page opened from disk may not fetch() a file, but it may load
 * a script — and reloads itself when a newer version proofed without error;
 * when the proof failed, it keeps the last good letters and shows the
 * messages over them, with their carets (file:line:col, the source line, ^).
 * Before any proof succeeded, a small page stands in for index.html.
 */
#include "qa/qa_private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_WATCHED_FILES 20000
#define MAX_WATCH_DEPTH   6

/* ---- the stamp of the inputs ------------------------------------------------------------- */

static bool watched_name(const char *name) {
  static const char *const EXT[] = {".yaml", ".yml", ".png", ".svg", ".txt"};
  if (name[0] == '.' || name[0] == '#') return false; /* hidden, editors' lock files */
  for (size_t i = 0; i < G_N_ELEMENTS(EXT); i++)
    if (g_str_has_suffix(name, EXT[i])) return true;
  return false;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0x100000001b3ull;
}

static uint64_t mix_string(uint64_t h, const char *s) {
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return mix(h, 0);
}

/* The path, size and modification time of one file (a missing file counts:
 * its absence is part of the stamp). */
static uint64_t mix_file(uint64_t h, const char *path) {
  struct stat st;
  h = mix_string(h, path);
  if (stat(path, &st) != 0) return mix(h, 1);
  h = mix(h, (uint64_t)st.st_size);
  h = mix(h, (uint64_t)st.st_mtim.tv_sec);
  return mix(h, (uint64_t)st.st_mtim.tv_nsec);
}

static gint by_name(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint64_t mix_folder(uint64_t h, const char *dir, const char *skip_real, int depth,
                           size_t *files) {
  if (depth > MAX_WATCH_DEPTH || *files > MAX_WATCHED_FILES) return h;
  char *real = g_canonicalize_filename(dir, NULL);
  bool skip = skip_real && strcmp(real, skip_real) == 0;
  g_free(real);
  GDir *d = skip ? NULL : g_dir_open(dir, 0, NULL);
  if (!d) return h;
  /* in name order, so that the stamp does not depend on the directory's */
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  for (const char *n; (n = g_dir_read_name(d));)
    g_ptr_array_add(names, g_strdup(n));
  g_dir_close(d);
  g_ptr_array_sort(names, by_name);
  for (guint i = 0; i < names->len && *files <= MAX_WATCHED_FILES; i++) {
    const char *n = g_ptr_array_index(names, i);
    char *path = g_build_filename(dir, n, NULL);
    if (n[0] != '.' && g_file_test(path, G_FILE_TEST_IS_DIR)) {
      h = mix_folder(h, path, skip_real, depth + 1, files);
    } else if (watched_name(n)) {
      h = mix_file(h, path);
      (*files)++;
    }
    g_free(path);
  }
  g_ptr_array_free(names, TRUE);
  return h;
}

uint64_t tg_proof_inputs_stamp(const char *design_path, const tg_proof_options *opt) {
  uint64_t h = 0xcbf29ce484222325ull;
  size_t files = 0;
  char *dir = g_path_get_dirname(design_path);
  char *skip = opt->out_dir ? g_canonicalize_filename(opt->out_dir, NULL) : NULL;
  h = mix_file(h, design_path);
  h = mix_folder(h, dir, skip, 0, &files);
  if (opt->personas) h = mix_file(h, opt->personas);
  char *fontset = opt->fontset ? g_strdup(opt->fontset)
                               : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  h = mix_file(h, fontset);
  g_free(fontset);
  g_free(skip);
  g_free(dir);
  return h;
}

/* ---- the page's part ------------------------------------------------------------------------ */

static const char WATCH_SCRIPT[] =
    "<style>\n#tg-watch{position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;"
    "margin:0;padding:.8em 1.2em;background:#fff4f4;border-top:3px solid #a4000f;"
    "box-shadow:0 -2px 8px rgba(0,0,0,.2);z-index:10}\n"
    "#tg-watch[hidden]{display:none}#tg-watch h2{margin:0 0 .4em;border:0;padding:0;"
    "color:#a4000f;font-size:1em}\n"
    "#tg-watch pre{margin:0;font-family:\"BIZ UDGothic\",monospace;font-size:.85em;"
    "white-space:pre;line-height:1.35}\n"
    "#tg-watch.warn{background:#fffbe6;border-top-color:#b8860b}"
    "#tg-watch.warn h2{color:#7a5b00}\n</style>\n"
    "<script>\n"
    "function tgWatch(w){var b=document.body,box=document.getElementById('tg-watch');"
    "if(!b||!box)return;b.dataset.watchSeen=w.version;\n"
    "if(w.ok&&w.version!==tgWatchVersion){location.reload();return;}\n"
    "b.dataset.watch=w.ok?'ok':'error';box.hidden=!w.messages;"
    "box.className=w.ok?'warn':'';\n"
    "box.querySelector('h2').textContent=w.ok?'tegami proof: warnings':"
    "'tegami proof failed: the letters below are the last good ones';\n"
    "box.querySelector('pre').textContent=w.messages;}\n"
    "function tgPoll(){var s=document.createElement('script');"
    "s.src='watch.js?t='+Date.now();s.onload=s.onerror=function(){s.remove();};"
    "document.head.appendChild(s);}\n"
    "setInterval(tgPoll,1000);document.addEventListener('DOMContentLoaded',tgPoll);\n"
    "</script>\n";

void qa_watch_page_head(GString *h, unsigned version) {
  g_string_append_printf(h, "<script>var tgWatchVersion=%u;</script>\n", version);
  g_string_append(h, WATCH_SCRIPT);
}

void qa_watch_page_body(GString *h) {
  g_string_append(h, "<div id=\"tg-watch\" hidden><h2></h2><pre></pre></div>\n");
}

/* ---- watch.js ------------------------------------------------------------------------------- */

/* A JSON string that is also safe inside a script: quotes, backslashes,
 * control characters and '<' escaped. */
static void json_string(GString *out, const char *s) {
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf(out, "\\%c", *p);
    else if (*p == '\n')
      g_string_append(out, "\\n");
    else if (*p < 0x20 || *p == '<')
      g_string_append_printf(out, "\\u%04x", *p);
    else
      g_string_append_c(out, (char)*p);
  }
  g_string_append_c(out, '"');
}

static bool write_file(const char *path, const GString *text, tg_diag *err) {
  tg_atomic *a = tg_atomic_open(path, err);
  if (!a) return false;
  fwrite(text->str, 1, text->len, tg_atomic_get_file(a));
  return tg_atomic_commit(a, err);
}

bool tg_proof_watch_publish(const tg_proof_options *opt, unsigned version, bool ok,
                            const tg_diag *messages, tg_diag *err) {
  if (!tg_mkdir_private(opt->out_dir, err)) return false;
  bool done = true;
  char *index = g_build_filename(opt->out_dir, "index.html", NULL);
  if (!g_file_test(index, G_FILE_TEST_EXISTS)) {
    /* no proof yet: a page that waits for the first one */
    GString *h =
        g_string_new("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>proofs: waiting for the first good proof</title>\n");
    qa_watch_page_head(h, 0);
    g_string_append(h, "</head>\n<body data-state=\"waiting\">\n<h1>tegami proof --watch</h1>\n"
                       "<p>No letter has been proofed yet: this page reloads itself when the "
                       "design proofs without error.</p>\n");
    qa_watch_page_body(h);
    g_string_append(h, "</body>\n</html>\n");
    done = write_file(index, h, err);
    g_string_free(h, TRUE);
  }
  g_free(index);
  GString *text = g_string_new(NULL);
  for (size_t i = 0; messages && i < tg_diag_count(messages); i++) {
    char *s = tg_diag_format(tg_diag_get(messages, i));
    g_string_append(text, s);
    free(s);
  }
  GString *js = g_string_new(NULL);
  g_string_append_printf(js, "tgWatch({\"version\": %u, \"ok\": %s, \"messages\": ", version,
                         ok ? "true" : "false");
  json_string(js, text->str);
  g_string_append(js, "});\n");
  char *path = g_build_filename(opt->out_dir, "watch.js", NULL);
  done = write_file(path, js, err) && done;
  g_free(path);
  g_string_free(js, TRUE);
  g_string_free(text, TRUE);
  return done;
}
