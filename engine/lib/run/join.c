/* join.c — joining the outputs of a sharded run into one hand-off folder.
 *
 * `tegami run --shard K/N` renders a disjoint part of a job on each machine.
 * tg_join_shards() takes their output folders and proves that together
 * they are the whole job before writing anything:
 *
 *   - every folder verifies against its SHA256SUMS;
 *   - all come from the same job (id and date) and the same N, and the shard
 *     numbers are exactly 1..N, each once;
 *   - no letter id and no rejected row appears twice;
 *   - for every list, the rows the shards read add up to the rows of the file
 *     (nothing missing), and each shard reconciles (read = rendered +
 *     excluded + rejected).
 *
 * It then writes the merged folder like a run's: the batch PDFs (hard-linked
 * when possible, else copied), manifest.csv re-sequenced in shard order,
 * rejected.csv, summary.json/txt with summed counts, and SHA256SUMS — staged
 * beside the destination and moved into place when complete, under the
 * destination's lock and marked as tegami's like a run's output.
 */
#include "run/run_private.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  char *dir;
  JsonParser *summary;
  unsigned index, count;
  char **manifest; /* lines without header, CRLF stripped */
  char **rejected;
} shard;

static void shard_clear(shard *s) {
  g_free(s->dir);
  if (s->summary) g_object_unref(s->summary);
  g_strfreev(s->manifest);
  g_strfreev(s->rejected);
}

/* Lines of a CSV file after its header (our own files: one record per line). */
static char **csv_body(const char *dir, const char *name, tg_diag *d) {
  char *path = g_build_filename(dir, name, NULL);
  gchar *text = NULL;
  GError *err = NULL;
  if (!g_file_get_contents(path, &text, NULL, &err)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.missing-file", "%s: %s", path, err->message);
    g_error_free(err);
    g_free(path);
    return NULL;
  }
  g_free(path);
  GPtrArray *out = g_ptr_array_new();
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  for (int i = 1; lines[i]; i++) {
    g_strchomp(lines[i]);
    if (*lines[i]) g_ptr_array_add(out, g_strdup(lines[i]));
  }
  g_strfreev(lines);
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

/* Field k (0-based) of one of our CSV lines (no quoted commas in the fields
 * we look at: ids, numbers, file names). */
static char *field(const char *line, int k) {
  const char *p = line;
  for (int i = 0; i < k && p; i++) {
    p = strchr(p, ',');
    if (p) p++;
  }
  if (!p) return g_strdup("");
  const char *e = strchr(p, ',');
  return g_strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static bool verify_sums(const char *dir, tg_diag *d) {
  char *path = g_build_filename(dir, "SHA256SUMS", NULL);
  gchar *text = NULL;
  bool ok = g_file_get_contents(path, &text, NULL, NULL);
  g_free(path);
  if (!ok) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.missing-file",
                "%s has no SHA256SUMS: it is not a finished tegami output", dir);
    return false;
  }
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  for (int i = 0; lines[i] && ok; i++) {
    if (!*lines[i]) continue;
    char *sp = strstr(lines[i], "  ");
    if (!sp) continue;
    *sp = '\0';
    char *file = g_build_filename(dir, sp + 2, NULL);
    char *hex = tg_sha256_file(file, d);
    if (!hex || strcmp(hex, lines[i]) != 0) {
      if (hex)
        tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.checksum",
                    "%s does not match its checksum in SHA256SUMS", file);
      ok = false;
    }
    g_free(hex);
    g_free(file);
  }
  g_strfreev(lines);
  return ok;
}

static JsonObject *root_of(const shard *s) {
  return json_node_get_object(json_parser_get_root(s->summary));
}

static bool load_shard(shard *s, const char *dir, tg_diag *d) {
  s->dir = g_strdup(dir);
  if (!verify_sums(dir, d)) return false;
  char *path = g_build_filename(dir, "summary.json", NULL);
  s->summary = json_parser_new();
  GError *err = NULL;
  bool ok = json_parser_load_from_file(s->summary, path, &err);
  if (!ok) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.summary", "%s: %s", path, err->message);
    g_error_free(err);
  }
  g_free(path);
  if (!ok) return false;
  JsonObject *root = root_of(s);
  JsonObject *sh =
      json_object_has_member(root, "shard") ? json_object_get_object_member(root, "shard") : NULL;
  s->index = sh ? (unsigned)json_object_get_int_member(sh, "index") : 1;
  s->count = sh ? (unsigned)json_object_get_int_member(sh, "count") : 1;
  s->manifest = csv_body(dir, "manifest.csv", d);
  s->rejected = csv_body(dir, "rejected.csv", d);
  return s->manifest && s->rejected;
}

/* Link (or copy) a file into the staging folder. */
static bool bring(const char *from, const char *to, tg_diag *d) {
  tg_outdir_claim(to, false);
  if (link(from, to) == 0) return true;
  gchar *data = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(from, &data, &len, &err)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.read", "cannot read %s: %s", from, err->message);
    g_error_free(err);
    return false;
  }
  tg_atomic *a = tg_atomic_open(to, d);
  bool ok = a != NULL;
  if (ok) {
    fwrite(data, 1, len, tg_atomic_get_file(a));
    ok = tg_atomic_commit(a, d);
  }
  g_free(data);
  return ok;
}

static bool write_text(const char *dir, const char *name, const GString *s, GPtrArray *files,
                       tg_diag *d) {
  char *path = g_build_filename(dir, name, NULL);
  tg_atomic *a = tg_atomic_open(path, d);
  g_free(path);
  if (!a) return false;
  fwrite(s->str, 1, s->len, tg_atomic_get_file(a));
  if (!tg_atomic_commit(a, d)) return false;
  g_ptr_array_add(files, g_strdup(name));
  return true;
}

/* Check the shards and write the merged folder into stage. */
static bool merge_into(shard *sh, size_t n, const char *stage, tg_summary *sum, tg_diag *d) {
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  JsonObject *first = root_of(&sh[0]);
  const char *job = json_object_get_string_member(first, "job");
  const char *date = json_object_get_string_member(first, "date");
  unsigned count = sh[0].count;
  bool *seen = g_new0(bool, count + 1);
  for (size_t i = 0; i < n; i++) {
    JsonObject *r = root_of(&sh[i]);
    if (strcmp(json_object_get_string_member(r, "job"), job) != 0 ||
        strcmp(json_object_get_string_member(r, "date"), date) != 0)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.other-job",
                  "%s is the output of another job (or another date) than %s", sh[i].dir,
                  sh[0].dir);
    if (sh[i].count != count)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.shards",
                  "%s is shard %u of %u, but %s is of %u", sh[i].dir, sh[i].index, sh[i].count,
                  sh[0].dir, count);
    else if (sh[i].index < 1 || sh[i].index > count || seen[sh[i].index])
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.shards", "shard %u of %u is given twice",
                  sh[i].index, count);
    else
      seen[sh[i].index] = true;
  }
  for (unsigned k = 1; k <= count; k++)
    if (!seen[k] && tg_diag_count_at_least(d, TG_ERROR) == errors_before)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.shards", "shard %u of %u is missing", k,
                  count);
  g_free(seen);

  /* letters and rejections: nothing twice */
  GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (size_t i = 0; i < n; i++) {
    for (char **l = sh[i].manifest; *l; l++) {
      char *id = field(*l, 1);
      if (!g_hash_table_add(ids, id))
        tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.duplicate", "letter %s appears twice", id);
    }
    for (char **l = sh[i].rejected; *l; l++) {
      char *list = field(*l, 0), *row = field(*l, 1);
      char *key = g_strdup_printf("rejected:%s:%s", list, row);
      if (!g_hash_table_add(ids, key))
        tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.duplicate",
                    "%s row %s is rejected by two shards", list, row);
      g_free(list);
      g_free(row);
    }
  }
  g_hash_table_destroy(ids);

  /* counts per list: the shards' reads add up to the file */
  JsonArray *lists0 = json_object_get_array_member(first, "lists");
  guint nl = json_array_get_length(lists0);
  sum->nlists = nl;
  sum->lists = g_new0(tg_list_summary, nl + 1);
  for (guint k = 0; k < nl; k++) {
    JsonObject *l0 = json_array_get_object_element(lists0, k);
    tg_list_summary *ls = &sum->lists[k];
    ls->file = g_strdup(json_object_get_string_member(l0, "file"));
    ls->type = g_strdup(json_object_get_string_member(l0, "type"));
    ls->municipality = g_strdup(json_object_get_string_member(l0, "municipality"));
    ls->file_rows = (uint64_t)json_object_get_int_member(l0, "file_rows");
    ls->blank = (uint64_t)json_object_get_int_member(l0, "blank");
    /* every shard read the whole file: its line counts are the file's */
    ls->lines = (uint64_t)json_object_get_int_member_with_default(l0, "lines", 0);
    ls->header_lines = (uint64_t)json_object_get_int_member_with_default(l0, "header_lines", 0);
    ls->field_breaks = (uint64_t)json_object_get_int_member_with_default(l0, "field_breaks", 0);
    for (size_t i = 0; i < n; i++) {
      JsonArray *la = json_object_get_array_member(root_of(&sh[i]), "lists");
      if (json_array_get_length(la) != nl) continue; /* reported as another job */
      JsonObject *l = json_array_get_object_element(la, k);
      ls->read += (uint64_t)json_object_get_int_member(l, "read");
      ls->rendered += (uint64_t)json_object_get_int_member(l, "rendered");
      ls->excluded += (uint64_t)json_object_get_int_member(l, "excluded");
      ls->rejected += (uint64_t)json_object_get_int_member(l, "rejected");
    }
    if (ls->read != ls->file_rows)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.incomplete",
                  "%s has %" PRIu64 " rows but the shards read %" PRIu64, ls->file, ls->file_rows,
                  ls->read);
    if (ls->read != ls->rendered + ls->excluded + ls->rejected)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "merge.incomplete",
                  "%s does not reconcile: read != rendered + excluded + rejected", ls->file);
    sum->read += ls->read;
    sum->rendered += ls->rendered;
    sum->excluded += ls->excluded;
    sum->rejected += ls->rejected;
    sum->blank += ls->blank;
  }
  for (size_t i = 0; i < n; i++) {
    JsonObject *t = json_object_get_object_member(root_of(&sh[i]), "totals");
    sum->pages += (uint64_t)json_object_get_int_member(t, "pages");
    sum->barcodes += (uint64_t)json_object_get_int_member_with_default(t, "barcodes", 0);
    sum->barcodes_omitted +=
        (uint64_t)json_object_get_int_member_with_default(t, "barcodes_omitted", 0);
  }
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) return false;

  /* write: PDFs, manifest, rejected, summaries, checksums */
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  GString *man = g_string_new(RUN_MANIFEST_HEADER);
  GString *rej = g_string_new("list,row,key,column,code,message\r\n");
  uint64_t seq = 0;
  bool ok = true;
  for (unsigned k = 1; k <= count && ok; k++)
    for (size_t i = 0; i < n && ok; i++) {
      if (sh[i].index != k) continue;
      GPtrArray *pdfs = g_ptr_array_new_with_free_func(g_free);
      for (char **l = sh[i].manifest; *l; l++) {
        const char *rest = strchr(*l, ',');
        g_string_append_printf(man, "%" G_GUINT64_FORMAT "%s\r\n", ++seq, rest ? rest : "");
        char *batch = field(*l, 7);
        bool have = false;
        for (guint q = 0; q < pdfs->len && !have; q++)
          have = strcmp(pdfs->pdata[q], batch) == 0;
        if (!have)
          g_ptr_array_add(pdfs, batch);
        else
          g_free(batch);
      }
      for (char **l = sh[i].rejected; *l; l++)
        g_string_append_printf(rej, "%s\r\n", *l);
      for (guint q = 0; q < pdfs->len && ok; q++) {
        char *from = g_build_filename(sh[i].dir, (char *)pdfs->pdata[q], NULL);
        char *to = g_build_filename(stage, (char *)pdfs->pdata[q], NULL);
        ok = bring(from, to, d);
        if (ok) g_ptr_array_add(files, g_strdup(pdfs->pdata[q]));
        g_free(from);
        g_free(to);
      }
      g_ptr_array_free(pdfs, TRUE);
    }
  ok = ok && write_text(stage, "rejected.csv", rej, files, d) &&
       write_text(stage, "manifest.csv", man, files, d);
  g_string_free(man, TRUE);
  g_string_free(rej, TRUE);
  if (ok) {
    GString *j = g_string_new("{\n  \"job\": ");
    tg_json_string(j, job);
    g_string_append(j, ",\n  \"date\": ");
    tg_json_string(j, date);
    g_string_append_printf(j,
                           ",\n  \"merged_shards\": %u,\n"
                           "  \"totals\": {\"read\": %" G_GUINT64_FORMAT
                           ", \"rendered\": %" G_GUINT64_FORMAT ", \"excluded\": %" G_GUINT64_FORMAT
                           ", \"rejected\": %" G_GUINT64_FORMAT ", \"blank\": %" G_GUINT64_FORMAT
                           ", \"pages\": %" G_GUINT64_FORMAT ", \"barcodes\": %" G_GUINT64_FORMAT
                           ", \"barcodes_omitted\": %" G_GUINT64_FORMAT
                           "},\n  \"reconciled\": true\n}\n",
                           count, sum->read, sum->rendered, sum->excluded, sum->rejected,
                           sum->blank, sum->pages, sum->barcodes, sum->barcodes_omitted);
    ok = write_text(stage, "summary.json", j, files, d);
    g_string_free(j, TRUE);
    char *txt = tg_summary_format_file(sum);
    GString *t = g_string_new(txt);
    g_free(txt);
    ok = ok && write_text(stage, "summary.txt", t, files, d);
    g_string_free(t, TRUE);
  }
  if (ok) {
    GString *sums = g_string_new(NULL);
    for (guint i = 0; i < files->len && ok; i++) {
      char *path = g_build_filename(stage, (char *)files->pdata[i], NULL);
      char *hex = tg_sha256_file(path, d);
      if (hex)
        g_string_append_printf(sums, "%s  %s\n", hex, (char *)files->pdata[i]);
      else
        ok = false;
      g_free(hex);
      g_free(path);
    }
    ok = ok && write_text(stage, "SHA256SUMS", sums, files, d);
    g_string_free(sums, TRUE);
  }
  if (ok)
    for (guint i = 0; i < files->len; i++)
      tg_summary_add_output(sum, files->pdata[i]);
  g_ptr_array_free(files, TRUE);
  return ok;
}

tg_exit tg_join_shards(const char *const *dirs, size_t n, const char *out_dir, bool force,
                       tg_summary *sum, tg_diag *d) {
  memset(sum, 0, sizeof *sum);
  if (g_file_test(out_dir, G_FILE_TEST_EXISTS) && !force) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.exists", "%s exists; nothing was changed",
                out_dir);
    tg_diag_hint(d, "choose another folder with -o, or replace an earlier output of tegami with "
                    "--force");
    return TG_EXIT_USAGE;
  }
  shard *sh = g_new0(shard, n + 1);
  bool ok = true;
  for (size_t i = 0; i < n; i++)
    ok = load_shard(&sh[i], dirs[i], d) && ok;
  /* locked, checked and staged like a run's output (base/outlock.c) */
  tg_outdir *od =
      ok ? tg_outdir_open(out_dir, json_object_get_string_member(root_of(&sh[0]), "job"), force, d)
         : NULL;
  ok = od && merge_into(sh, n, tg_outdir_get_stage(od), sum, d) &&
       run_join_staff(dirs, n, tg_outdir_get_stage(od), verify_sums, d) && tg_outdir_commit(od, d);
  tg_outdir_close(od, d);
  if (ok)
    for (size_t i = 0; i < sum->noutputs; i++) {
      char *p = g_build_filename(out_dir, sum->outputs[i], NULL);
      g_free(sum->outputs[i]);
      sum->outputs[i] = p;
    }
  for (size_t i = 0; i < n; i++)
    shard_clear(&sh[i]);
  g_free(sh);
  if (ok) return sum->rejected ? TG_EXIT_REJECTED : TG_EXIT_OK;
  tg_exit e = tg_diag_exit_code(d);
  return e == TG_EXIT_OK ? TG_EXIT_INVALID : e;
}
