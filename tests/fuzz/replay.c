/* replay.c — the main() of a fuzz target outside libFuzzer.
 *
 * In normal builds every fuzz target links this file instead of libFuzzer:
 * it runs LLVMFuzzerTestOneInput() once on each file named on the command
 * line, or on each file of a directory named (sorted, hidden files included),
 * so ctest replays the whole corpus — seeds and every crash found since —
 * under the build's sanitizers.  Exit 0 when every input ran.
 */
#include "fuzz.h"

#include <glib.h>
#include <string.h>

static int run_file(const char *path) {
  gchar *buf;
  gsize len;
  GError *err = NULL;
  if (!g_file_get_contents(path, &buf, &len, &err)) {
    fprintf(stderr, "replay: %s\n", err->message);
    g_error_free(err);
    return 1;
  }
  /* an exact-size copy, so ASan sees reads past the end of the input */
  uint8_t *copy = g_memdup2(buf, len ? len : 1);
  g_free(buf);
  LLVMFuzzerTestOneInput(copy, len);
  g_free(copy);
  return 0;
}

static gint cmp_str(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  int failures = 0, runs = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') continue; /* libFuzzer flags such as -runs=0 */
    if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
      failures += run_file(argv[i]);
      runs++;
      continue;
    }
    GDir *dir = g_dir_open(argv[i], 0, NULL);
    if (!dir) {
      fprintf(stderr, "replay: cannot open %s\n", argv[i]);
      failures++;
      continue;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)))
      g_ptr_array_add(names, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(names, cmp_str);
    for (guint k = 0; k < names->len; k++) {
      char *p = g_build_filename(argv[i], g_ptr_array_index(names, k), NULL);
      if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
        failures += run_file(p);
        runs++;
      }
      g_free(p);
    }
    g_ptr_array_free(names, TRUE);
  }
  printf("replayed %d inputs\n", runs);
  return failures ? 1 : 0;
}
