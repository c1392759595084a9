/* base/base.h — private foundation shared by every stage of libtegami.
 *
 * Small, dependency-free helpers: UTF-8 stepping, a bump arena for per-letter
 * work, lengths with units, private file creation and atomic replacement, the
 * YAML node tree with source positions, and "did you mean" suggestions.
 * GLib supplies strings, arrays and hash tables; allocation failure aborts (as
 * in GLib), so error paths only deal with input, layout, library and I/O.
 */
#ifndef TG_BASE_H
#define TG_BASE_H

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tegami/diag.h"

/* ---- messages (i18n.c) ------------------------------------------------------ */

/* _() translates a message where it is printed or formatted; N_() marks a
 * literal for the catalogue (make po) that is translated later. */
#define _(s)  tg_gettext(s)
#define N_(s) s
/* Append `label` padded with spaces to `width` terminal cells (a Japanese
 * character takes two), so translated labels still line up. */
void tg_append_label(GString *out, const char *label, size_t width);

/* ---- UTF-8 --------------------------------------------------------------- */

/* Step over one UTF-8 sequence (tolerates malformed input: steps one byte). */
const char *tg_utf8_next(const char *p);
/* Number of characters in the first `len` bytes. */
size_t tg_utf8_count(const char *s, size_t len);
/* Decode one character at s (len bytes available); returns bytes consumed
 * (>=1) and stores the code point, or U+FFFD for a malformed sequence. */
int tg_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Append the UTF-8 encoding of cp to a GString. */
void tg_utf8_append(GString *out, uint32_t cp);
/* Display width of a text in terminal cells (East Asian wide = 2). */
size_t tg_utf8_display_width(const char *s, size_t len);
/* A character of a number as lists write them, in ASCII: full-width digits,
 * '．' and '－'/'−' become 0-9, '.' and '-'; anything else is returned as is. */
uint32_t tg_number_char(uint32_t cp);

/* ---- CP932 (cp932.c) ------------------------------------------------------- */

/* Decode one CP932 character at s (len bytes available).  Returns the bytes
 * it takes (1 or 2) and stores the code point, or returns 0 when the bytes
 * are not a character (an unused single byte 0x80/0xA0/0xFD-0xFF, a lead byte
 * without a valid trail byte).  The user-defined area F040-F9FC decodes to
 * U+E000-U+E757: readers report it as 外字, never pass it on. */
int tg_cp932_decode(const unsigned char *s, size_t len, uint32_t *cp);

#define TG_CP932_LEADS  60
#define TG_CP932_TRAILS 188
extern const uint16_t tg_cp932_dbcs[TG_CP932_LEADS][TG_CP932_TRAILS];
extern const size_t tg_cp932_dbcs_count;
/* Row of a lead byte in the table, or -1 when it is not a lead byte. */
int tg_cp932_lead_index(unsigned char b);
/* Column of a trail byte, or -1. */
int tg_cp932_trail_index(unsigned char b);
/* The CP932 bytes of a user-defined-area code point U+E000-U+E757 (for
 * messages about UTF-8 lists exported from CP932 systems); 0 otherwise. */
unsigned tg_cp932_from_pua(uint32_t cp);

/* ---- arena --------------------------------------------------------------- */

/* A bump allocator for work that lives for one letter: reset after each. */
typedef struct tg_arena tg_arena;
tg_arena *tg_arena_new(size_t block_size);
void *tg_arena_alloc(tg_arena *a, size_t size); /* 16-byte aligned, zeroed */
char *tg_arena_strndup(tg_arena *a, const char *s, size_t len);
void tg_arena_reset(tg_arena *a); /* keeps the first block */
size_t tg_arena_get_used(const tg_arena *a);
void tg_arena_free(tg_arena *a);

/* ---- lengths --------------------------------------------------------------- */

#define TG_PT_PER_MM (72.0 / 25.4)
static inline double tg_mm_to_pt(double mm) { return mm * TG_PT_PER_MM; }
static inline double tg_pt_to_mm(double pt) { return pt / TG_PT_PER_MM; }

typedef enum { TG_UNIT_NONE, TG_UNIT_MM, TG_UNIT_PT, TG_UNIT_CM, TG_UNIT_PERCENT } tg_unit;
/* Parse "20mm", "10.5pt", "2cm", "1.6", "50%". Returns false on a malformed
 * number or an unknown unit; *unit is TG_UNIT_NONE for a bare number. */
bool tg_parse_length(const char *s, double *value, tg_unit *unit);
/* Parse a plain decimal number (no unit). */
bool tg_parse_number(const char *s, double *value);

/* ---- files --------------------------------------------------------------- */

/* Open an input file for reading.  Only regular files are inputs: a folder
 * or a device, pipe or socket is refused (io.not-file) instead of failing
 * later with a read error, hanging on a pipe without a writer, or reading
 * /dev/zero forever.  `what` names the input in messages ("target list ";
 * "" for none).  Reports and returns NULL on failure. */
FILE *tg_open_input(const char *path, const char *what, tg_diag *d);

/* For inputs read by other means (GLib, libraries): false, with io.not-file,
 * when path exists but is a folder, device, pipe or socket — which would
 * hang or fail obscurely; a missing file is left to the caller's message. */
bool tg_input_is_file(const char *path, const char *what, tg_diag *d);

/* Read a whole file (at most max_bytes) into a tg_source; reports an I/O or
 * limit diagnostic and returns NULL on failure. */
tg_source *tg_source_load(const char *path, size_t max_bytes, tg_diag *d);

/* Create an empty file with mode 0600 (failing if it exists), for outputs that
 * a library then opens by name (Cairo). */
bool tg_create_private(const char *path, tg_diag *d);

/* Create a directory (and parents) with mode 0700 if missing. */
bool tg_mkdir_private(const char *path, tg_diag *d);
/* A file written to a temporary name beside its final path and renamed into
 * place: tg_atomic_open/_commit/_abort are in tegami/diag.h (the CLI uses
 * them too).  The temporary's path, for libraries that reopen it by name: */
const char *tg_atomic_get_temp_path(const tg_atomic *a);
/* Make a temporary file path beside final_path (unique per process/call). */
char *tg_temp_path_for(const char *final_path);
/* Rename a finished temporary into place with fsync of file and directory. */
bool tg_commit_rename(const char *temp_path, const char *final_path, tg_diag *d);

/* Folders tegami owns (outdir.c): a marker, TG_OWNED_MARKER, lists what
 * tegami wrote into the folder.  tg_owned_begin() starts its journal: from
 * then on every file or folder created under `dir` through the helpers above
 * (tg_atomic_open, tg_temp_path_for, tg_create_private, tg_mkdir_private) is
 * listed before it exists; tg_owned_seal() writes the final marker (sizes,
 * SHA-256) and frees; tg_owned_abort() removes what was listed and frees. */
#define TG_OWNED_MARKER ".tegami-output"
typedef struct tg_owned_dir tg_owned_dir;
tg_owned_dir *tg_owned_begin(const char *dir, const char *job, tg_diag *d);
bool tg_owned_seal(tg_owned_dir *o, tg_diag *d);
void tg_owned_abort(tg_owned_dir *o, tg_diag *d);
/* List `path` in the journal of the owned folder it is under, if any. */
void tg_outdir_claim(const char *path, bool is_dir);
/* May `dir` be replaced?  It has a marker, holds nothing the marker does not
 * list, and nothing listed was changed (output.not-owned, output.foreign-file,
 * output.changed). */
bool tg_owned_check(const char *dir, tg_diag *d);
/* Remove what dir's marker lists, then the marker and dir; anything else
 * stays (with dir), with a warning naming it.  Never walks a tree. */
bool tg_owned_remove(const char *dir, tg_diag *d);

/* Writing an output folder (outlock.c): the lock "<out>.tegami-lock", the
 * check of what is there (with `force`: only an earlier output of tegami,
 * unchanged, may be replaced), and the staging folder, marked. */
typedef struct tg_outdir tg_outdir;
tg_outdir *tg_outdir_open(const char *out, const char *job, bool force, tg_diag *d);
const char *tg_outdir_get_stage(const tg_outdir *o);
/* Seal the staging folder and move it into place (false: reported). */
bool tg_outdir_commit(tg_outdir *o, tg_diag *d);
/* Remove an uncommitted staging folder (its own files), release the lock. */
void tg_outdir_close(tg_outdir *o, tg_diag *d);

/* Append `value` as a JSON string (quoted, escaped). */
void tg_json_string(GString *out, const char *value);

/* Join a path relative to the directory of `base_file` (absolute paths pass). */
char *tg_path_relative_to(const char *base_file, const char *path);

/* The folder at `relative` to the running program's folder (an install finds
 * its own data and catalogues wherever it was moved or unpacked) when it holds
 * the file `probe_file` (relative to it); NULL otherwise.  Released with g_free. */
char *tg_dir_beside_program(const char *relative, const char *probe_file);

/* ---- YAML tree -------------------------------------------------------------- */

typedef enum { TG_Y_SCALAR, TG_Y_MAP, TG_Y_SEQ } tg_ytype;

typedef struct tg_ynode tg_ynode;
struct tg_ynode {
  tg_ytype type;
  const tg_source *src;
  size_t start, end; /* byte offsets of the node in the source */
  /* scalar */
  char *value;
  size_t value_len;
  int style; /* libyaml scalar style: 1 plain, 2 single, 3 double, 4 literal, 5 folded */
  /* map: keys[i] -> vals[i]; seq: vals[i] */
  size_t n;
  tg_ynode **keys;
  tg_ynode **vals;
  bool used; /* set by schema checks to find unknown keys */
};

typedef struct tg_ydoc tg_ydoc;
/* Parse one YAML document.  Anchors/aliases, tags other than the core ones,
 * duplicate keys, nesting deeper than 64 and more than 1,000,000 nodes are
 * errors.  Returns NULL (with diagnostics) on failure. */
tg_ydoc *tg_ydoc_parse(const tg_source *src, tg_diag *d);
tg_ynode *tg_ydoc_get_root(tg_ydoc *doc);
void tg_ydoc_free(tg_ydoc *doc);

tg_span tg_ynode_span(const tg_ynode *n);
/* Span of the characters value[off, off+len) of a scalar, found in the
 * source even through block indentation, folding and escapes. */
tg_span tg_ynode_value_span(const tg_ynode *n, size_t off, size_t len);
tg_ynode *tg_ymap_get(tg_ynode *map, const char *key);
tg_ynode *tg_ymap_get_key(tg_ynode *map, const char *key); /* the key node */
bool tg_yscalar_is(const tg_ynode *n, const char *s);

/* ---- schema reading ---------------------------------------------------------- */

/* Typed getters over a YAML map.  Each marks the key as used, reports a
 * precise diagnostic at the value on a wrong type or range, and returns false
 * when the key is absent (reporting it when `required`) or invalid.  Values are
 * left untouched on failure, so callers set defaults first. */
bool tg_yget_string(tg_ynode *map, const char *key, bool required, const char **out, tg_diag *d);
/* A scalar node's string (reports a type error for maps/sequences). */
bool tg_ynode_string(tg_ynode *n, const char *what, const char **out, tg_diag *d);
/* A length that must carry its unit (mm, cm or pt); result in points. */
bool tg_yget_length(tg_ynode *map, const char *key, bool required, double min_pt, double max_pt,
                    double *out_pt, tg_diag *d);
bool tg_ynode_length(tg_ynode *n, const char *key, double min_pt, double max_pt, double *out_pt,
                     tg_diag *d);
/* A font size: "10.5pt" (pt only; mm accepted and converted). */
bool tg_yget_number(tg_ynode *map, const char *key, bool required, double min, double max,
                    double *out, tg_diag *d);
bool tg_yget_int(tg_ynode *map, const char *key, bool required, long min, long max, long *out,
                 tg_diag *d);
bool tg_yget_bool(tg_ynode *map, const char *key, bool required, bool *out, tg_diag *d);
/* One of `names` (n of them); *out gets the index. */
bool tg_yget_enum(tg_ynode *map, const char *key, bool required, const char *const *names, size_t n,
                  int *out, tg_diag *d);
/* "#RRGGBB" or "#RRGGBBAA" → 0xRRGGBBAA. */
bool tg_yget_color(tg_ynode *map, const char *key, bool required, uint32_t *out, tg_diag *d);
/* The map/sequence under key, type-checked. */
tg_ynode *tg_yget_map(tg_ynode *map, const char *key, bool required, tg_diag *d);
tg_ynode *tg_yget_seq(tg_ynode *map, const char *key, bool required, tg_diag *d);
/* Report every key of `map` not in `known` as unknown, with a suggestion.
 * `what` names the object ("text block"). Returns false if any was unknown. */
bool tg_ycheck_keys(tg_ynode *map, const char *what, const char *const *known, size_t n,
                    tg_diag *d);
/* Require `n` to be a map (reports "expected a mapping for <what>"). */
bool tg_yexpect_map(tg_ynode *n, const char *what, tg_diag *d);
const char *tg_ytype_name(tg_ytype t);

/* ---- suggestions ------------------------------------------------------------ */

/* The candidate closest to `word` (Damerau-Levenshtein distance <= max(1,
 * len/3)), or NULL. */
const char *tg_suggest(const char *word, const char *const *candidates, size_t n);

/* ---- CSV output -------------------------------------------------------------- */

/* One CSV field: quoted when it holds , " CR or LF; a leading = + - @ —
 * also after blanks, and in full-width (＝ ＋ － ＠) or small forms — or a
 * leading tab or CR is neutralised with a ' so that a spreadsheet never runs
 * it as a formula.  NULL is written as an empty field.  (csvfield.c) */
void tg_csv_append_field(GString *out, const char *s);
void tg_csv_write_field(FILE *f, const char *s);

/* ---- hashing ---------------------------------------------------------------- */

/* Lower-case hex SHA-256 of a file; NULL and a diagnostic on I/O error. */
char *tg_sha256_file(const char *path, tg_diag *d);

#endif
