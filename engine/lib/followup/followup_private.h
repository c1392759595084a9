/* followup/followup_private.h — what the files of the follow-up stage share:
 * the people of a run (people.c), the ledgers (ledger.c), the drawing of
 * sheets and the report (draw.c). */
#ifndef TG_FOLLOWUP_PRIVATE_H
#define TG_FOLLOWUP_PRIVATE_H

#include "base/base.h"
#include "tegami/calendar.h"
#include "tegami/followup.h"
#include "tegami/layout.h"
#include "tegami/render.h"
#include "tegami/security.h"
#include "tegami/targets.h"

/* One call of the ledger, as it applies to a person. */
typedef struct {
  char *datetime, *nurse, *notes;
  tg_call_outcome outcome;
  tg_call_slot slot;
  uint32_t day;
} fu_call;

/* One person who got a letter (a line of OUT/staff/people.csv), with what
 * the phone list and the ledgers say about them. */
typedef struct {
  char *letter_id, *key, *insured, *name, *kana, *sex, *age, *muni, *muni_name, *type, *segment,
      *variant, *arm, *results, *egfr_text, *deadline, *letter_date;
  double egfr;
  bool has_egfr;
  char *phone, *phone2; /* NULL: no number on file */
  char *returned;       /* the reason its letter came back, or NULL */
  GArray *calls;        /* fu_call, outbound attempts in time order */
  unsigned inquiries;
  bool closed, reached;
  tg_call_outcome last;
} fu_person;

typedef struct {
  GPtrArray *people;      /* fu_person*, in people.csv order */
  GHashTable *by_key;     /* key (KDB個人番号) → person */
  GHashTable *by_letter;  /* letter id → person */
  GHashTable *by_insured; /* 被保険者番号 → person (when unique) */
  char *job, *date;       /* of the run (staff/followup.json) */
  char *password_file, *password_env;
} fu_people;

void fu_people_init(fu_people *P);
void fu_people_clear(fu_people *P);
/* Read OUT/staff/people.csv and OUT/staff/followup.json. */
bool fu_people_load_run(fu_people *P, const char *run_dir, tg_diag *d);
/* Read CALLS/people.csv (what a plan saw). */
bool fu_people_load_calls(fu_people *P, const char *calls_dir, tg_diag *d);
/* The person a key names: KDB key, letter id (a control number "ID 1/2"
 * too) or 被保険者番号. */
fu_person *fu_people_find(const fu_people *P, const char *key);
/* Apply OUT/staff/returns.csv and CALLS/ledger.csv (either may be missing). */
bool fu_people_apply_returns(fu_people *P, const char *run_dir, uint64_t *n, tg_diag *d);
bool fu_people_apply_calls(fu_people *P, const char *calls_dir, unsigned attempts, uint64_t *n,
                           tg_diag *d);

/* Julian day of "YYYY-MM-DD" (or YYYY/MM/DD); 0 when malformed. */
uint32_t fu_julian(const char *date);

/* ---- ledgers (ledger.c) ----------------------------------------------------------------- */

#define FU_CALLS_HEADER                                                                            \
  "seq,prev,key,letter_id,municipality,datetime,weekday,band,nurse,code,notes,source,row"
#define FU_RETURNS_HEADER "seq,prev,letter_id,key,municipality,reason,date,source,row"

/* A ledger's entries, each a NULL-terminated array of fields (seq and prev
 * first), after checking the chain. */
typedef struct {
  GPtrArray *entries; /* char** */
  char head[65];      /* SHA-256 of the last line (64 zeros when empty) */
} fu_ledger;

bool fu_ledger_load(const char *path, const char *header, fu_ledger *L, tg_diag *d);
void fu_ledger_clear(fu_ledger *L);
/* Append rows (char** of fields, without seq and prev) under a lock, after
 * checking the chain again. */
bool fu_ledger_append(const char *path, const char *header, GPtrArray *rows, tg_diag *d);
/* Split one CSV line (no line end) into fields (quoted fields allowed). */
char **fu_csv_split(const char *line);

/* ---- drawing (draw.c) ------------------------------------------------------------------- */

typedef enum {
  FU_LEFT = TG_ALIGN_LEFT,
  FU_CENTRE = TG_ALIGN_CENTER,
  FU_RIGHT = TG_ALIGN_RIGHT
} fu_align;

typedef struct {
  tg_fonts *fonts;
  tg_layout_ctx *ctx;
  GPtrArray *pages; /* GArray of tg_item, one per page */
  GArray *items;    /* the current page */
  double page_w, page_h;
  tg_diag *d;
  bool ok;
} fu_doc;

bool fu_doc_init(fu_doc *D, const char *fontset, double page_w, double page_h, tg_diag *d);
void fu_doc_clear(fu_doc *D);
void fu_doc_new_page(fu_doc *D);
void fu_rect(fu_doc *D, const char *part, double x, double y, double w, double h, double stroke_pt,
             uint32_t fill);
void fu_line(fu_doc *D, const char *part, double x1, double y1, double x2, double y2, double w_pt);
/* One line of text with its baseline at y, shrunk to max_w when given. */
void fu_text(fu_doc *D, const char *part, const char *s, double x, double y, double size_pt,
             fu_align al, double max_w, bool bold);
/* Text wrapped into a box of width w from its top y, up to max_lines. */
void fu_text_box(fu_doc *D, const char *part, const char *s, double x, double y, double w,
                 double size_pt, size_t max_lines);
/* Write the pages: PDF (private, atomic; encrypted with `password` when
 * given) and the trace. */
bool fu_doc_write(fu_doc *D, const char *pdf_path, const char *title, const char *date,
                  const tg_secret *password, FILE *trace);

/* Add a copy of path to a result's outputs. */
void fu_result_add(tg_followup_result *r, const char *path);

#endif
