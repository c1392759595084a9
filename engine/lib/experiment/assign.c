/* assign.c — randomised, balanced assignment of people to experiment arms.
 *
 * Part of the experiment stage: the run loop registers every person of an
 * experiment (key and stratum) during its planning phase, asks for the arms,
 * and writes them to assignment.csv (assignment_csv.c) and on the letters.
 *
 * Method (docs/evaluation.md has the reasoning):
 *   1. Each key is hashed with HMAC-SHA256 under the secret salt (GLib's
 *      GHmac).  Only the 32-byte digest is kept, never the key.
 *   2. Equal digests are the same person: one unit, one arm.
 *   3. Within a stratum, units are ordered by digest (as a 256-bit big-endian
 *      number) and fill blocks of B = block_multiple × Σ ratio places.
 *   4. The arm sequence of block b of stratum s is the multiset {arm i ×
 *      ratio_i × block_multiple} shuffled by Fisher–Yates, with the random
 *      numbers taken from HMAC-SHA256(salt, 0x00 "tegami/assign-block/v1" 0x00
 *      s 0x00 be64(b) be32(counter)), counter = 0, 1, … (8-byte big-endian
 *      words, uniform draws by rejection so that no arm is favoured).
 * The leading 0x00 separates block streams from key hashes: a key is a
 * non-empty C string and cannot start with a NUL byte.
 */
#include "experiment/experiment_private.h"

#include <string.h>

#define MAX_ARMS     16
#define MAX_RATIO    100
#define MAX_MULTIPLE 10
#define MIN_SALT     16
#define NO_FILE      UINT32_MAX

typedef struct {
  uint8_t mac[32];
  uint32_t stratum; /* index into strata */
  uint32_t file;    /* index into files, or NO_FILE */
  uint64_t row;
  uint32_t index; /* order of tg_assign_add */
  uint8_t flags;
} person;

enum { P_INVALID = 1, P_FOLLOWER = 2, P_CONFLICT = 4 };
#define NO_ARM 0xFF

struct tg_assign {
  uint8_t *salt;
  size_t salt_len;
  GHmac *keyed; /* HMAC state after the salt: copied for every message */
  size_t narms;
  char **arm_names;
  unsigned *weights; /* ratio × block_multiple */
  unsigned block_size;
  GArray *people;          /* person */
  GHashTable *stratum_ids; /* name -> index + 1 */
  GPtrArray *strata;       /* char* */
  GHashTable *file_ids;
  GPtrArray *files;
  uint8_t *arm_of; /* by person index, after tg_assign_run; NO_ARM: none */
};

static uint32_t intern(GHashTable *ids, GPtrArray *names, const char *s) {
  gpointer v = g_hash_table_lookup(ids, s);
  if (v) return (uint32_t)(GPOINTER_TO_UINT(v) - 1);
  char *copy = g_strdup(s);
  g_ptr_array_add(names, copy);
  g_hash_table_insert(ids, copy, GUINT_TO_POINTER(names->len));
  return names->len - 1;
}

tg_assign *tg_assign_new(const tg_assign_options *opt, tg_diag *d) {
  bool ok = true;
  if (!opt->salt || opt->salt_len < MIN_SALT) {
    /* never print the salt, not even its length beyond what is needed */
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "assign.salt",
                "the experiment's salt must be at least %d bytes of secret random data", MIN_SALT);
    ok = false;
  }
  if (opt->narms < 2 || opt->narms > MAX_ARMS) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "assign.arms",
                "an experiment needs 2 to %d arms, not %zu", MAX_ARMS, opt->narms);
    ok = false;
  }
  if (opt->block_multiple > MAX_MULTIPLE) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "assign.arms",
                "the block multiple must be 1 to %d, not %u", MAX_MULTIPLE, opt->block_multiple);
    ok = false;
  }
  for (size_t i = 0; ok && i < opt->narms; i++) {
    const tg_arm *arm = &opt->arms[i];
    if (!arm->name || !*arm->name) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "assign.arms", "arm %zu has no name", i + 1);
      ok = false;
    }
    if (arm->ratio < 1 || arm->ratio > MAX_RATIO) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "assign.arms",
                  "the ratio of arm %zu must be 1 to %d, not %u", i + 1, MAX_RATIO, arm->ratio);
      ok = false;
    }
    for (size_t j = 0; j < i && arm->name; j++)
      if (opt->arms[j].name && strcmp(opt->arms[j].name, arm->name) == 0) {
        tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "assign.arms", "arm '%s' is named twice",
                    arm->name);
        ok = false;
      }
  }
  if (!ok) return NULL;

  tg_assign *a = g_new0(tg_assign, 1);
  a->salt = g_memdup2(opt->salt, opt->salt_len);
  a->salt_len = opt->salt_len;
  a->keyed = g_hmac_new(G_CHECKSUM_SHA256, a->salt, a->salt_len);
  a->narms = opt->narms;
  a->arm_names = g_new0(char *, opt->narms + 1);
  a->weights = g_new0(unsigned, opt->narms);
  unsigned multiple = opt->block_multiple ? opt->block_multiple : 1;
  for (size_t i = 0; i < opt->narms; i++) {
    a->arm_names[i] = g_strdup(opt->arms[i].name);
    a->weights[i] = opt->arms[i].ratio * multiple;
    a->block_size += a->weights[i];
  }
  a->people = g_array_new(FALSE, FALSE, sizeof(person));
  a->stratum_ids = g_hash_table_new(g_str_hash, g_str_equal);
  a->strata = g_ptr_array_new_with_free_func(g_free);
  a->file_ids = g_hash_table_new(g_str_hash, g_str_equal);
  a->files = g_ptr_array_new_with_free_func(g_free);
  return a;
}

void tg_assign_free(tg_assign *a) {
  if (!a) return;
  if (a->salt) memset(a->salt, 0, a->salt_len);
  g_free(a->salt);
  g_hmac_unref(a->keyed);
  g_strfreev(a->arm_names);
  g_free(a->weights);
  g_array_free(a->people, TRUE);
  g_hash_table_destroy(a->stratum_ids);
  g_ptr_array_free(a->strata, TRUE);
  g_hash_table_destroy(a->file_ids);
  g_ptr_array_free(a->files, TRUE);
  g_free(a->arm_of);
  g_free(a);
}

static void hmac(const tg_assign *a, const void *msg, size_t len, uint8_t out[32]) {
  GHmac *h = g_hmac_copy(a->keyed);
  g_hmac_update(h, msg, (gssize)len);
  gsize n = 32;
  g_hmac_get_digest(h, out, &n);
  g_hmac_unref(h);
}

size_t tg_assign_add(tg_assign *a, const char *key, const char *stratum, const char *file,
                     uint64_t row, tg_diag *d) {
  person p;
  memset(&p, 0, sizeof p);
  p.index = a->people->len;
  p.stratum = intern(a->stratum_ids, a->strata, stratum ? stratum : "");
  p.file = file ? intern(a->file_ids, a->files, file) : NO_FILE;
  p.row = row;
  if (!key || !*key) {
    p.flags = P_INVALID;
    tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "assign.key-empty", file, row, NULL,
                "the person has no key, so no experiment arm can be assigned");
  } else {
    hmac(a, key, strlen(key), p.mac);
  }
  g_array_append_val(a->people, p);
  g_free(a->arm_of); /* added after a run: run again */
  a->arm_of = NULL;
  return p.index;
}

static int by_mac(const void *x, const void *y) {
  const person *p = x, *q = y;
  int c = memcmp(p->mac, q->mac, sizeof p->mac);
  if (c) return c;
  return p->index < q->index ? -1 : p->index > q->index;
}

static int by_stratum_mac(const void *x, const void *y) {
  const person *p = x, *q = y;
  if (p->stratum != q->stratum) return p->stratum < q->stratum ? -1 : 1;
  return by_mac(x, y);
}

/* The random stream of one block: 8-byte words from successive HMACs. */
typedef struct {
  const tg_assign *a;
  GByteArray *msg; /* prefix; the counter is appended per HMAC */
  uint8_t buf[32];
  size_t used;
  uint32_t counter;
} stream;

static void stream_init(stream *s, const tg_assign *a, const char *stratum, uint64_t block) {
  static const char tag[] = "tegami/assign-block/v1";
  s->a = a;
  s->msg = g_byte_array_new();
  uint8_t zero = 0;
  g_byte_array_append(s->msg, &zero, 1);
  g_byte_array_append(s->msg, (const guint8 *)tag, sizeof tag - 1);
  g_byte_array_append(s->msg, &zero, 1);
  g_byte_array_append(s->msg, (const guint8 *)stratum, (guint)strlen(stratum));
  g_byte_array_append(s->msg, &zero, 1);
  uint8_t be[8];
  for (int i = 0; i < 8; i++)
    be[i] = (uint8_t)(block >> (56 - 8 * i));
  g_byte_array_append(s->msg, be, 8);
  s->used = sizeof s->buf; /* empty */
  s->counter = 0;
}

static uint64_t stream_next(stream *s) {
  if (s->used >= sizeof s->buf) {
    guint len = s->msg->len;
    uint8_t be[4];
    for (int i = 0; i < 4; i++)
      be[i] = (uint8_t)(s->counter >> (24 - 8 * i));
    g_byte_array_append(s->msg, be, 4);
    hmac(s->a, s->msg->data, s->msg->len, s->buf);
    g_byte_array_set_size(s->msg, len);
    s->counter++;
    s->used = 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = v << 8 | s->buf[s->used + (size_t)i];
  s->used += 8;
  return v;
}

/* Uniform in [0, bound) without modulo bias: reject the incomplete top range. */
static uint64_t stream_below(stream *s, uint64_t bound) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound; /* a multiple of bound */
  for (;;) {
    uint64_t v = stream_next(s);
    if (v < limit) return v % bound;
  }
}

static void block_sequence(const tg_assign *a, const char *stratum, uint64_t block, uint8_t *seq) {
  size_t k = 0;
  for (size_t arm = 0; arm < a->narms; arm++)
    for (unsigned j = 0; j < a->weights[arm]; j++)
      seq[k++] = (uint8_t)arm;
  stream s;
  stream_init(&s, a, stratum, block);
  for (size_t i = a->block_size - 1; i > 0; i--) {
    size_t j = (size_t)stream_below(&s, i + 1);
    uint8_t t = seq[i];
    seq[i] = seq[j];
    seq[j] = t;
  }
  g_byte_array_free(s.msg, TRUE);
}

static const char *file_name(const tg_assign *a, const person *p) {
  return p->file == NO_FILE ? NULL : g_ptr_array_index(a->files, p->file);
}

bool tg_assign_run(tg_assign *a, tg_diag *d) {
  size_t n = a->people->len;
  person *p = (person *)a->people->data; /* sorted in place: `index` keeps the identity */
  g_free(a->arm_of);
  a->arm_of = g_new(uint8_t, n ? n : 1);
  memset(a->arm_of, NO_ARM, n);
  for (size_t i = 0; i < n; i++)
    p[i].flags &= P_INVALID;
  bool ok = true;
  if (n == 0) return ok; /* nobody to assign (every row rejected); the array has no storage */

  /* 1. one unit per digest; a run of equal digests must share a stratum */
  qsort(p, n, sizeof(person), by_mac);
  for (size_t i = 0; i < n;) {
    if (p[i].flags & P_INVALID) {
      ok = false;
      i++;
      continue;
    }
    size_t j = i + 1;
    bool conflict = false;
    while (j < n && !(p[j].flags & P_INVALID) && memcmp(p[j].mac, p[i].mac, 32) == 0) {
      if (p[j].stratum != p[i].stratum) conflict = true;
      j++;
    }
    for (size_t k = i + 1; k < j; k++) {
      const char *first_file = file_name(a, &p[i]);
      char *first = first_file ? g_strdup_printf(_("%s row %" PRIu64), first_file, p[i].row)
                               : g_strdup_printf(_("entry %u"), p[i].index + 1);
      if (conflict)
        tg_diag_row(
            d, TG_ERROR, TG_KIND_DATA, "assign.stratum-conflict", file_name(a, &p[k]), p[k].row,
            NULL, "the same person as %s is in another stratum: neither is assigned an arm", first);
      else
        tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "assign.duplicate", file_name(a, &p[k]), p[k].row,
                    NULL, "the same person as %s: one arm for both", first);
      g_free(first);
      p[k].flags |= P_FOLLOWER;
    }
    if (conflict) {
      p[i].flags |= P_CONFLICT;
      ok = false;
    }
    i = j;
  }

  /* 2. permuted blocks in digest order within each stratum; only units
   * (neither invalid, nor a repeat, nor in conflict) take places */
  qsort(p, n, sizeof(person), by_stratum_mac);
  uint8_t *seq = g_new(uint8_t, a->block_size);
  size_t pos = 0;                /* position within the current stratum */
  uint32_t stratum = UINT32_MAX; /* the current stratum */
  for (size_t i = 0; i < n; i++) {
    if (p[i].flags) continue;
    if (p[i].stratum != stratum) {
      stratum = p[i].stratum;
      pos = 0;
    }
    if (pos % a->block_size == 0)
      block_sequence(a, g_ptr_array_index(a->strata, stratum), pos / a->block_size, seq);
    a->arm_of[p[i].index] = seq[pos % a->block_size];
    pos++;
  }
  g_free(seq);

  /* 3. repeats take the arm of their unit (same digest, sorted right after
   * it; NO_ARM when the unit is in conflict) */
  qsort(p, n, sizeof(person), by_mac);
  for (size_t i = 1; i < n; i++)
    if (p[i].flags & P_FOLLOWER) a->arm_of[p[i].index] = a->arm_of[p[i - 1].index];
  return ok;
}

size_t tg_assign_get_arm(const tg_assign *a, size_t person_index) {
  if (!a->arm_of || person_index >= a->people->len) return TG_ARM_NONE;
  return a->arm_of[person_index] == NO_ARM ? TG_ARM_NONE : a->arm_of[person_index];
}

const char *tg_assign_get_arm_name(const tg_assign *a, size_t arm) {
  return arm < a->narms ? a->arm_names[arm] : NULL;
}

size_t tg_assign_get_arm_count(const tg_assign *a) { return a->narms; }
size_t tg_assign_get_person_count(const tg_assign *a) { return a->people->len; }
unsigned tg_assign_get_block_size(const tg_assign *a) { return a->block_size; }

char *tg_stratum_key(const char *municipality, const char *target_type, const char *segment) {
  const char *parts[3] = {municipality, target_type, segment};
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 3; i++) {
    if (i) g_string_append_c(s, '|');
    for (const char *p = parts[i] ? parts[i] : ""; *p; p++) {
      if (*p == '|' || *p == '\\') g_string_append_c(s, '\\');
      g_string_append_c(s, *p);
    }
  }
  return g_string_free(s, FALSE);
}

char *tg_salt_fingerprint(const uint8_t *salt, size_t salt_len) {
  static const char msg[] = "tegami salt fingerprint v1";
  return g_compute_hmac_for_data(G_CHECKSUM_SHA256, salt, salt_len, (const guchar *)msg,
                                 sizeof msg - 1);
}
