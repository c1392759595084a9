/* tegami/followup.h — after the letters: nurses' calls, returned mail, the report.
 *
 * The programme does not end when the letters are mailed (spec 7(6), 12(4)):
 * nurses phone every addressee, retrying at another weekday and time band;
 * they answer inbound questions; letters come back undelivered; and the
 * contractor files the 第1号様式 事業実施報告書.  This stage builds all of it
 * on the run's own records (docs/followup.md):
 *
 *   OUT/manifest.csv           every letter (the vendor's folder)
 *   OUT/staff/people.csv       who got which letter (staff only, run/staff.c)
 *   OUT/staff/returns.csv      returned letters: a hash-chained ledger
 *   CALLS/people.csv           the people of the plan, with their numbers
 *   CALLS/ledger.csv           every call: a hash-chained, append-only ledger
 *   CALLS/<muni>_calls_rN.pdf  the call sheet of round N (and .csv)
 *
 * Ledgers are CSV with "seq" and "prev" (the SHA-256 of the line before it,
 * 64 zeros for the first entry) as their first columns: an edited, removed,
 * inserted or reordered line breaks the chain at a line that is named, and
 * nothing is appended to a broken ledger.  Free notes of the nurses are kept
 * in the ledger (staff data) and never reach a diagnostic or the audit log.
 */
#ifndef TEGAMI_FOLLOWUP_H
#define TEGAMI_FOLLOWUP_H

#include <stdint.h>
#include <stdio.h>

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the outcome vocabulary ----------------------------------------------------------- */

typedef enum {
  TG_CALL_VISITED,      /* 受診済: has seen a doctor since the letter */
  TG_CALL_BOOKED,       /* 予約済: has an appointment */
  TG_CALL_WILL_VISIT,   /* 受診予定: means to go */
  TG_CALL_WONT_VISIT,   /* 受診しない: will not go (the reason goes in the notes) */
  TG_CALL_NO_ANSWER,    /* 不在: nobody answered — retry at another weekday and band */
  TG_CALL_WRONG_NUMBER, /* 番号違い: the number is not the person's */
  TG_CALL_REFUSED,      /* 拒否: the person refused the call */
  TG_CALL_INQUIRY,      /* 問合せ: an inbound question (not an attempt) */
  TG_CALL_NOUTCOMES
} tg_call_outcome;

/* The code as staff write it ("受診済"); false for anything else. */
bool tg_call_outcome_parse(const char *s, tg_call_outcome *out);
const char *tg_call_outcome_name(tg_call_outcome o);
/* Someone was spoken to (受診済, 予約済, 受診予定, 受診しない, 拒否). */
bool tg_call_outcome_reached(tg_call_outcome o);
/* No further call is planned after it (all but 不在 and 問合せ). */
bool tg_call_outcome_closes(tg_call_outcome o);

/* ---- when to call ----------------------------------------------------------------------- */

typedef enum {
  TG_BAND_WEEKDAY_MORNING, /* 平日午前: Monday to Friday before noon */
  TG_BAND_WEEKDAY_EVENING, /* 平日夕方: Monday to Friday from noon */
  TG_BAND_SATURDAY,        /* 土曜 */
  TG_BAND_SUNDAY,          /* 日曜: never planned, but a call may happen then */
  TG_BAND_COUNT
} tg_call_band;

typedef struct tg_call_slot {
  int weekday; /* 1 Monday … 7 Sunday */
  tg_call_band band;
} tg_call_slot;

const char *tg_call_band_name(tg_call_band b);
const char *tg_weekday_name(int weekday); /* "月" … "日" */
/* "2026-10-08 10:30" (also with 'T' or '/'; seconds allowed) → its slot, its
 * day (Julian day number) and minute of the day.  False when malformed. */
bool tg_call_slot_parse(const char *datetime, tg_call_slot *slot, uint32_t *julian, int *minute);
/* The first attempt of the person at position `spread` of a plan: 平日午前,
 * on Monday … Friday in turn, so the calls of a day are spread over the week. */
tg_call_slot tg_call_first_slot(unsigned spread);
/* The attempt after `last`: a band after last's in the cycle 平日午前 → 平日夕方
 * → 土曜 → 平日午前 and a weekday that differs from last's (spec 7(6)ア). */
tg_call_slot tg_call_next_slot(tg_call_slot last, unsigned spread);
/* Do two slots differ in both weekday and band, as a retry must? */
bool tg_call_slots_differ(tg_call_slot a, tg_call_slot b);

/* ---- hash-chained ledgers ------------------------------------------------------------- */

/* Check a ledger's chain; *entries receives its number of entries.  A
 * missing file is an empty ledger.  False (ledger.broken, ledger.malformed
 * with the line) when a line does not follow its predecessor. */
bool tg_ledger_verify(const char *path, uint64_t *entries, tg_diag *d);

/* ---- the commands ----------------------------------------------------------------------- */

/* What a command wrote (NULL-terminated paths) and its counts, for the
 * audit log; release with tg_followup_result_clear. */
typedef struct tg_followup_result {
  char **outputs;
  uint64_t people, open, no_phone, returned, recorded, skipped, rejected, round;
} tg_followup_result;
void tg_followup_result_clear(tg_followup_result *r);

typedef struct tg_calls_plan_options {
  const char
      *phones; /* the municipal phone list (KDB個人番号, 被保険者番号, 電話番号, 電話番号2) */
  const char *calls_dir; /* CALLS: created at the first plan, added to afterwards */
  unsigned attempts;     /* attempts per person before they count as unreachable (default 3) */
  const char *fontset;   /* NULL: <data dir>/fonts/fontset.txt */
  const char *password_file, *password_env; /* encrypt the sheets (default: as the job did) */
  FILE *trace; /* also write the sheets' items as text (golden tests) */
} tg_calls_plan_options;

/* `tegami calls plan OUT --phones PHONES -o CALLS`: the people of the run
 * still open, most urgent first (lowest eGFR, then letter id), one call
 * sheet per municipality (PDF, A4 landscape, and CSV) with each person's
 * attempt history and the next attempts' weekday and band. */
tg_exit tg_calls_plan(const char *run_dir, const tg_calls_plan_options *o, tg_followup_result *r,
                      tg_diag *d);

/* `tegami calls record CALLS OUTCOMES.csv`: append the outcomes to the
 * ledger.  Columns key (KDB個人番号 or letter id), datetime, nurse, code,
 * notes.  Unknown people, codes, malformed dates, dates before the letter
 * date are rejected with their row and column (exit 1) and the rest
 * recorded; an attempt that repeats the last one's weekday or band is
 * recorded with a warning; a line already in the ledger is skipped. */
tg_exit tg_calls_record(const char *calls_dir, const char *outcomes_csv, tg_followup_result *r,
                        tg_diag *d);

/* `tegami returns record OUT RETURNS.csv`: letters returned undelivered
 * (columns letter_id — as printed in the control number or the manifest —,
 * reason: 宛所不明 / 転居先不明 / 受取拒否, date optional) appended to
 * OUT/staff/returns.csv. */
tg_exit tg_returns_record(const char *run_dir, const char *returns_csv, tg_followup_result *r,
                          tg_diag *d);

typedef struct tg_report_options {
  const char *calls_dir; /* NULL: no calls (受診勧奨電話 0) */
  const char *issuer;    /* YAML: contractor, representative, title, date */
  const char *date;      /* YYYY-MM-DD, instead of the issuer file's */
  const char *pdf_path, *json_path;
  const char *fontset;
  FILE *trace;
} tg_report_options;

/* `tegami report OUT... --calls CALLS -o report.pdf`: the 第1号様式 and
 * report.json, after checking that manifests, staff records and ledgers
 * agree (report.reconcile otherwise). */
tg_exit tg_followup_report(const char *const *run_dirs, size_t nruns, const tg_report_options *o,
                           tg_followup_result *r, tg_diag *d);

/* For `tegami evaluate`: the keys (KDB個人番号) of people whose letter came
 * back (from OUT/staff/returns.csv files) and of people a call reached
 * (CALLS/ledger.csv), NULL-terminated, newly allocated (free with
 * tg_followup_keys_free).  NULL (reported) when a ledger cannot be read. */
char **tg_followup_returned_keys(const char *const *run_dirs, size_t nruns, tg_diag *d);
char **tg_followup_reached_keys(const char *calls_dir, tg_diag *d);
void tg_followup_keys_free(char **keys);

#ifdef __cplusplus
}
#endif
#endif
