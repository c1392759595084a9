/* tegami/diag.h — source texts, their encodings and the diagnostics collector.
 *
 * Every stage reports problems here and only here: the library never prints.
 * A diagnostic carries a severity, a kind (which decides the exit code), a
 * stable code such as "design.unknown-key", a message that never contains
 * personal data, and a location: either a span in a source text held in memory
 * (file:line:col, so the CLI can print the line and a caret), or a data
 * location (file, row, column header).  The CLI renders them with
 * tg_diag_format() and picks the exit code with tg_diag_exit_code().
 */
#ifndef TEGAMI_DIAG_H
#define TEGAMI_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The encoding of an input file: lists and the postal dictionary are UTF-8
 * or CP932 (Windows-31J), detected per file unless stated. */
typedef enum { TG_ENC_AUTO, TG_ENC_UTF8, TG_ENC_CP932 } tg_encoding;

/* Exit codes of the CLI, one enum for the whole program (listed in --help). */
typedef enum {
  TG_EXIT_OK = 0,       /* every row rendered or excluded by a stated rule */
  TG_EXIT_REJECTED = 1, /* some rows rejected; the rest rendered and listed */
  TG_EXIT_USAGE = 2,    /* bad command line */
  TG_EXIT_INVALID = 3,  /* invalid job, design or input file; nothing rendered */
  TG_EXIT_SYSTEM = 4,   /* system, library or I/O error */
} tg_exit;

typedef enum { TG_NOTE, TG_WARNING, TG_ERROR } tg_severity;

/* A handful of kinds is enough; the kind decides the exit code. */
typedef enum {
  TG_KIND_SYNTAX,  /* malformed YAML, CSV or template */
  TG_KIND_SCHEMA,  /* well-formed but wrong: unknown key, bad unit, bad type */
  TG_KIND_DATA,    /* a row's value is missing or invalid (rejects the row) */
  TG_KIND_LAYOUT,  /* text does not fit, glyph missing (rejects the letter) */
  TG_KIND_LIMIT,   /* a bound was exceeded (field too long, file too big) */
  TG_KIND_LIBRARY, /* Cairo, HarfBuzz, fontconfig or qrencode failed */
  TG_KIND_SYSTEM,  /* I/O */
  TG_KIND_USAGE,   /* the command line asks for something refused (exit 2) */
} tg_diag_kind;

/* ---- source texts ------------------------------------------------------ */

/* A whole input file in memory with a line map, so that any diagnostic can
 * quote its line.  Lines and columns are 1-based; columns count characters
 * (Unicode scalar values), not bytes.  Sources are reference-counted: a
 * diagnostic that points into a source keeps it alive, so messages can be
 * printed after the design or job that failed to load is gone. */
typedef struct tg_source tg_source;

tg_source *tg_source_new(const char *name, const char *text, size_t len);
const char *tg_source_get_name(const tg_source *src);
const char *tg_source_get_text(const tg_source *src);
size_t tg_source_get_length(const tg_source *src);
size_t tg_source_get_line_count(const tg_source *src);
/* The text of line `line` without its line end; NULL if out of range. */
const char *tg_source_get_line(const tg_source *src, uint32_t line, size_t *len_out);
/* Byte offset <-> line/column conversions. */
void tg_source_locate(const tg_source *src, size_t byte_offset, uint32_t *line, uint32_t *col);
size_t tg_source_offset(const tg_source *src, uint32_t line, uint32_t col);
tg_source *tg_source_ref(const tg_source *src);
/* Drop one reference (the one from tg_source_new, or from tg_source_ref). */
void tg_source_free(tg_source *src);

/* A range in a source text: start line/column and a length in characters
 * (at least 1 when the span is valid). */
typedef struct {
  const tg_source *src;
  uint32_t line, col, len;
} tg_span;

#define TG_SPAN_NONE ((tg_span){0})

/* ---- diagnostics -------------------------------------------------------- */

typedef struct {
  tg_severity severity;
  tg_diag_kind kind;
  const char *code;    /* stable, e.g. "design.unknown-key" */
  const char *message; /* no personal data, ever */
  const char *hint;    /* optional: "did you mean 'width'?" */
  tg_span span;        /* source location, or src == NULL */
  const char *file;    /* data location: file name, or NULL */
  uint64_t row;        /* 1-based data row (0 = none) */
  const char *column;  /* column header (may be NULL) */
  uint64_t repeats;    /* >0: this entry summarises that many further ones */
} tg_diag_entry;

typedef struct tg_diag tg_diag;

tg_diag *tg_diag_new(void);
void tg_diag_free(tg_diag *d);

/* Repeated diagnostics with the same code are kept up to this many; the rest
 * are counted into a summary entry ("... and 9,963 more"). Default 20. */
void tg_diag_set_repeat_limit(tg_diag *d, uint32_t limit);

/* Report at a source span (design and job files). */
void tg_diag_at(tg_diag *d, tg_severity sev, tg_diag_kind kind, const char *code, tg_span span,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Report at a data location (target lists): file, 1-based row, column header. */
void tg_diag_row(tg_diag *d, tg_severity sev, tg_diag_kind kind, const char *code, const char *file,
                 uint64_t row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Report without a location (system errors, summaries). */
void tg_diag_add(tg_diag *d, tg_severity sev, tg_diag_kind kind, const char *code, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
/* Attach a hint to the most recent diagnostic. */
void tg_diag_hint(tg_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

size_t tg_diag_count(const tg_diag *d);
size_t tg_diag_count_at_least(const tg_diag *d, tg_severity sev);
bool tg_diag_has_errors(const tg_diag *d);
const tg_diag_entry *tg_diag_get(const tg_diag *d, size_t i);
/* Move every entry of `from` to the end of `to` (from becomes empty). */
void tg_diag_take(tg_diag *to, tg_diag *from);
/* Same, but drop entries equal (severity, code, message, location) to one
 * already in `to`: copies of one design block (per variant or segment)
 * report a shared mistake once. */
void tg_diag_take_unique(tg_diag *to, tg_diag *from);
void tg_diag_clear(tg_diag *d);

/* Render one entry as text, gcc-style:
 *   file:line:col: error: message [code]
 *     12 |   widht: 170mm
 *        |   ^~~~~
 *   hint: did you mean 'width'?
 * The result is newly allocated (free with free()). */
char *tg_diag_format(const tg_diag_entry *e);

/* The exit code the errors in `d` call for (TG_EXIT_OK when none). */
tg_exit tg_diag_exit_code(const tg_diag *d);

const char *tg_severity_name(tg_severity sev);

/* The directory holding fonts/, locales/ and layouts/ (presets every stage
 * may read): $TEGAMI_DATA_DIR; else the installed data beside the running
 * program (PREFIX/share/tegami for PREFIX/bin/tegami); else the one compiled
 * in (the source tree, for programs in the build tree). */
const char *tg_data_dir(void);
const char *tg_diag_kind_name(tg_diag_kind kind);

/* Messages in the user's language (docs/i18n.md): the translation of an
 * English message in the "tegami" gettext catalogue of the LC_MESSAGES
 * locale, or the message itself.  Diagnostics are translated by the
 * tg_diag_* functions (their format is the msgid); the CLI translates what
 * it prints.  tg_locale_dir() is where the catalogues are looked for:
 * $TEGAMI_LOCALE_DIR; else PREFIX/share/locale beside an installed program;
 * else the build tree's. */
const char *tg_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *tg_locale_dir(void);

/* Files tegami writes hold personal data: every one is created 0600 (and
 * every folder 0700) whatever the umask, never through a symbolic link, and
 * appears under its name only when complete — written to a hidden temporary
 * beside it, renamed into place by tg_atomic_commit() (which flushes,
 * fsyncs, reports a failure and always frees `a`); tg_atomic_abort()
 * removes the temporary.  The library writes everything this way; the CLI
 * uses it for the files it opens itself (--trace). */
typedef struct tg_atomic tg_atomic;
tg_atomic *tg_atomic_open(const char *final_path, tg_diag *d);
FILE *tg_atomic_get_file(tg_atomic *a);
bool tg_atomic_commit(tg_atomic *a, tg_diag *d);
void tg_atomic_abort(tg_atomic *a);

#ifdef __cplusplus
}
#endif
#endif
