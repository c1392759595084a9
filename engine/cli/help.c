/* help.c — one source for every form of the CLI's documentation.
 *
 * The commands table of main.c (name, arguments, summary, option lines) is
 * printed here three ways: `tegami COMMAND --help`, the manual page tegami(1)
 * (`tegami help --man`, run by the build) and the bash completion script
 * (`tegami help --bash-completion`, also run by the build).  Because all three
 * come from the same strings, the manual and the completion cannot drift from
 * --help; tests/cli/help_man_completion.sh checks it anyway.
 *
 * An option line is "  SPEC TEXT": SPEC ("-o, --out DIR") fills the columns up
 * to OPT_TEXT_COL, TEXT starts there.  A line whose SPEC columns are blank
 * continues the text of the line before.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum { OPT_SPEC_COL = 2, OPT_TEXT_COL = 21 };

static const char HELP_LINE[] = N_("  -h, --help         this help\n");

/* In the user's language (the manual page and the completion stay English:
 * they are written by the build, whatever its locale). */
void cli_print_command_help(FILE *f, const cli_command *c) {
  fprintf(f, _("usage: tegami %s %s [OPTIONS]\n"), c->name, c->args);
  fprintf(f, "\n%s\n\n%s%s%s", _(c->summary), _("options:\n"), _(c->options), _(HELP_LINE));
  fprintf(f, "%s",
          _("\nMore in tegami(1) (man tegami) and 'tegami --help' (exit codes, environment).\n"));
}

/* ---- option lines ------------------------------------------------------------------ */

typedef struct {
  char *spec; /* "-o, --out DIR"; NULL for a continuation line */
  char *text;
} opt_line;

/* Split one option line (without its newline).  False when it is not one. */
static bool split_option_line(const char *line, opt_line *o) {
  size_t len = strlen(line);
  o->spec = o->text = NULL;
  if (len <= OPT_SPEC_COL || strncmp(line, "  ", OPT_SPEC_COL) != 0) return false;
  size_t spec_end = len < OPT_TEXT_COL ? len : OPT_TEXT_COL;
  /* a long SPEC runs into the text column: the text starts after two spaces */
  const char *gap = strstr(line + OPT_SPEC_COL, "  ");
  if (gap && (size_t)(gap - line) > OPT_TEXT_COL) spec_end = (size_t)(gap - line);
  char *spec = g_strstrip(g_strndup(line + OPT_SPEC_COL, spec_end - OPT_SPEC_COL));
  o->text = g_strstrip(g_strdup(line + spec_end));
  if (*spec)
    o->spec = spec;
  else
    g_free(spec);
  return true;
}

/* The option lines of `options` (a command's help text), NULL-terminated
 * arrays in *out; free with free_option_lines(). */
static size_t parse_options(const char *options, opt_line **out) {
  char **lines = g_strsplit(options, "\n", -1);
  GArray *a = g_array_new(FALSE, TRUE, sizeof(opt_line));
  for (char **l = lines; *l; l++) {
    opt_line o;
    if (!split_option_line(*l, &o)) continue;
    if (!o.spec && a->len) { /* continuation */
      opt_line *prev = &g_array_index(a, opt_line, a->len - 1);
      char *joined = g_strconcat(prev->text, " ", o.text, NULL);
      g_free(prev->text);
      g_free(o.text);
      prev->text = joined;
    } else {
      g_array_append_val(a, o);
    }
  }
  g_strfreev(lines);
  size_t n = a->len;
  *out = (opt_line *)(void *)g_array_free(a, FALSE);
  return n;
}

static void free_option_lines(opt_line *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    g_free(v[i].spec);
    g_free(v[i].text);
  }
  g_free(v);
}

/* ---- the manual page --------------------------------------------------------------- */

/* Write s as roff text: backslashes escaped, hyphens as \-, no control
 * character at the start of a line, and anything beyond ASCII as \[uXXXX]
 * so that the page reads the same whatever the reader's locale.  `font`
 * wraps it in \fB/\fI if not 0. */
static void roff(FILE *f, const char *s, char font) {
  if (font) fprintf(f, "\\f%c", font);
  for (const char *p = s; *p; p = g_utf8_next_char(p)) {
    if ((unsigned char)*p >= 0x80)
      fprintf(f, "\\[u%04X]", (unsigned)g_utf8_get_char(p));
    else if (*p == '\\')
      fputs("\\e", f);
    else if (*p == '-')
      fputs("\\-", f);
    else if ((*p == '.' || *p == '\'') && (p == s || p[-1] == '\n'))
      fprintf(f, "\\&%c", *p);
    else
      fputc(*p, f);
  }
  if (font) fputs("\\fR", f);
}

/* "-o, --out DIR" → options in bold, placeholders in italics; a leading
 * word that is not an option ("verify LOG") is a subcommand, in bold. */
static void roff_spec(FILE *f, const char *spec) {
  char **words = g_strsplit(spec, " ", -1);
  bool first = true;
  for (char **w = words; *w; w++) {
    if (!**w) continue;
    if (!first) fputc(' ', f);
    size_t n = strlen(*w);
    bool comma = (*w)[n - 1] == ',';
    if (comma) (*w)[n - 1] = 0;
    roff(f, *w, (**w == '-' || first) ? 'B' : 'I');
    if (comma) fputc(',', f);
    first = false;
  }
  g_strfreev(words);
}

static const char MAN_DESCRIPTION[] =
    "tegami turns letter designs written in YAML and municipal target lists (KDB\n"
    "extractions, CSV) into print-ready PDF letters, with a report that accounts for\n"
    "every person on the list: every row is rendered, excluded by a stated rule, or\n"
    "rejected with a reason in rejected.csv, and the counts reconcile.\n"
    ".PP\n"
    "Errors in a design point at the file, line and column with a caret; data\n"
    "problems name the file, row and column, never the value.  Output folders are\n"
    "created 0700 and files 0600; a failed run leaves no half-written output; every\n"
    "run, check, purge and encryption is recorded in a hash-chained audit log.\n";

void cli_print_man(FILE *f, const cli_help *h) {
  fprintf(f, ".\\\" tegami(1), generated by `tegami help --man` from the same table as\n"
             ".\\\" `tegami COMMAND --help`: edit engine/cli/main.c, not this file.\n");
  fprintf(f, ".TH TEGAMI 1 \"\" \"tegami %s\" \"User Commands\"\n.ad l\n.nh\n", h->version);
  fprintf(f, ".SH NAME\ntegami \\- letters and mail\\-merge for municipal nudge programmes\n");
  fprintf(f, ".SH SYNOPSIS\n");
  for (size_t i = 0; i < h->ncommands; i++) {
    fprintf(f, ".B tegami %s\n", h->commands[i].name);
    roff_spec(f, h->commands[i].args);
    fprintf(f, "\n[\\fIOPTIONS\\fR]\n.br\n");
  }
  fprintf(
      f, ".B tegami help\n[\\fICOMMAND\\fR]\n.br\n.B tegami\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n");
  fprintf(f, ".SH DESCRIPTION\n%s", MAN_DESCRIPTION);
  fprintf(f, ".SH COMMANDS\n");
  for (size_t i = 0; i < h->ncommands; i++) {
    const cli_command *c = &h->commands[i];
    fprintf(f, ".SS \"tegami %s\"\n", c->name);
    roff(f, c->summary, 0);
    fprintf(f, ".\n.PP\nUsage: \\fBtegami %s\\fR ", c->name);
    roff_spec(f, c->args);
    fprintf(f, " [\\fIOPTIONS\\fR]\n");
    opt_line *opts;
    size_t n = parse_options(c->options, &opts);
    for (size_t k = 0; k < n; k++) {
      fprintf(f, ".TP\n");
      roff_spec(f, opts[k].spec ? opts[k].spec : "");
      fprintf(f, "\n");
      roff(f, opts[k].text, 0);
      fprintf(f, "\n");
    }
    free_option_lines(opts, n);
    fprintf(f, ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nthis help\n");
  }
  fprintf(f, ".SH EXIT STATUS\n");
  for (size_t i = 0; i < h->nexit_codes; i++) {
    fprintf(f, ".TP\n.B %d\n", h->exit_codes[i].code);
    roff(f, h->exit_codes[i].meaning, 0);
    fprintf(f, "\n");
  }
  fprintf(f, ".SH ENVIRONMENT\n");
  for (size_t i = 0; i < h->nenvironment; i++) {
    fprintf(f, ".TP\n.B %s\n", h->environment[i].name);
    roff(f, h->environment[i].meaning, 0);
    fprintf(f, "\n");
  }
  fprintf(f, ".SH FILES\n"
             ".TP\n.I PREFIX/share/tegami\n"
             "the data an installed tegami reads: \\fIfonts/fontset.txt\\fR (the private font\n"
             "set), \\fIlocales/\\fR (readings, counters, the postal dictionary\n"
             "\\fIlocales/ja/postal/\\fR), \\fIlayouts/\\fR (designs, window envelopes, label\n"
             "sheets) and \\fIsamples/\\fR (a sample job); PREFIX is the folder above the one\n"
             "holding the tegami program (\\fI/usr\\fR for \\fI/usr/bin/tegami\\fR).\n"
             ".TP\n.I ~/.local/state/tegami/audit.log\n"
             "the audit log, unless \\fB\\-\\-audit\\-log\\fR or \\fBTEGAMI_AUDIT_LOG\\fR says "
             "otherwise.\n");
  fprintf(f, ".SH EXAMPLES\n"
             "The sample job and designs, as installed by the Debian package (another\n"
             "install has them in \\fIPREFIX/share/tegami\\fR):\n"
             ".PP\n.nf\n"
             "tegami check /usr/share/tegami/samples/job.yaml\n"
             "tegami run /usr/share/tegami/samples/job.yaml \\-o letters\n"
             "tegami preflight letters/*.pdf\n"
             "tegami proof /usr/share/tegami/layouts/highrisk.yaml \\e\n"
             "    \\-\\-personas /usr/share/tegami/samples/personas.yaml \\-o proofs\n"
             ".fi\n");
  fprintf(f, ".SH SEE ALSO\n"
             "The documentation in \\fIPREFIX/share/doc/tegami/\\fR: README.md, and under\n"
             "docs/ the design format (design\\-format.md), the job file (job\\-format.md),\n"
             "the vendor hand\\-off (vendor\\-handoff.md), errors (errors.md), security\n"
             "(security.md), evaluation (evaluation.md) and scaling (scaling.md).\n");
}

/* ---- bash completion --------------------------------------------------------------- */

/* What the value of an option is: a folder, a file, or something to type. */
static const char *value_kind(const char *placeholder) {
  if (strcmp(placeholder, "DIR") == 0) return "dir";
  if (strcmp(placeholder, "FILE") == 0 || strcmp(placeholder, "F") == 0 ||
      strcmp(placeholder, "LOG") == 0)
    return "file";
  return "text";
}

void cli_print_bash_completion(FILE *f, const cli_help *h) {
  fprintf(f, "# bash completion for tegami(1), generated by `tegami help --bash-completion`\n"
             "# from the same table as `tegami COMMAND --help` (engine/cli/main.c).\n"
             "_tegami() {\n"
             "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
             "  local commands='");
  for (size_t i = 0; i < h->ncommands; i++)
    fprintf(f, "%s ", h->commands[i].name);
  fprintf(
      f,
      "help'\n"
      "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
      "    COMPREPLY=($(compgen -W \"$commands --help --version\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  local opts='' dirs=' ' files=' ' texts=' ' words=''\n"
      "  case ${COMP_WORDS[1]} in\n"
      "    help) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
      "      return ;;\n");
  for (size_t i = 0; i < h->ncommands; i++) {
    const cli_command *c = &h->commands[i];
    opt_line *opts;
    size_t n = parse_options(c->options, &opts);
    GString *all = g_string_new(""), *dirs = g_string_new(" "), *files = g_string_new(" "),
            *texts = g_string_new(" "), *words = g_string_new("");
    for (size_t k = 0; k < n; k++) {
      if (!opts[k].spec) continue;
      char **w = g_strsplit(opts[k].spec, " ", -1);
      const char *placeholder = NULL;
      GPtrArray *names = g_ptr_array_new();
      for (char **p = w; *p; p++) {
        if (!**p) continue;
        size_t len = strlen(*p);
        if ((*p)[len - 1] == ',') (*p)[len - 1] = 0;
        if (**p == '-')
          g_ptr_array_add(names, *p);
        else if (p == w)
          g_string_append_printf(words, "%s ", *p); /* a subcommand word */
        else if (!placeholder)
          placeholder = *p;
      }
      for (guint j = 0; j < names->len; j++) {
        const char *name = g_ptr_array_index(names, j);
        g_string_append_printf(all, "%s ", name);
        if (placeholder) {
          const char *kind = value_kind(placeholder);
          GString *to = strcmp(kind, "dir") == 0 ? dirs : strcmp(kind, "file") == 0 ? files : texts;
          g_string_append_printf(to, "%s ", name);
        }
      }
      g_ptr_array_free(names, TRUE);
      g_strfreev(w);
    }
    free_option_lines(opts, n);
    fprintf(f, "    %s) opts='%s-h --help'; dirs='%s'; files='%s'; texts='%s'; words='%s' ;;\n",
            c->name, all->str, dirs->str, files->str, texts->str, words->str);
    g_string_free(all, TRUE);
    g_string_free(dirs, TRUE);
    g_string_free(files, TRUE);
    g_string_free(texts, TRUE);
    g_string_free(words, TRUE);
  }
  fprintf(f,
          "    *) return ;;\n"
          "  esac\n"
          "  case $dirs in *\" $prev \"*)\n"
          "    compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
          "  esac\n"
          "  case $files in *\" $prev \"*)\n"
          "    compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
          "  esac\n"
          "  case $texts in *\" $prev \"*) COMPREPLY=(); return ;; esac\n"
          "  if [[ $cur == -* ]]; then\n"
          "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "  elif [ -n \"$words\" ] && [ \"$COMP_CWORD\" -eq 2 ]; then\n"
          "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "  else\n"
          "    compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "  fi\n"
          "}\n"
          "complete -F _tegami tegami\n");
}
