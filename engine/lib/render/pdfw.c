/* pdfw.c — PDF objects into memory: streams deflated once, object streams,
 * a cross-reference stream, a deterministic trailer.
 *
 * Stream objects are written to the file bytes as they come (a page's
 * content stream leaves memory's working set as soon as the page is done);
 * other objects — page dictionaries, fonts, resources — are small and are
 * gathered into object streams of up to OBJSTM_MAX objects each when the
 * writer is compact, or written in place otherwise.  Object numbers are
 * handed out by pdfw_reserve() and may be written in any order; the
 * cross-reference knows where each one went.  The /ID is a hash of the
 * bytes, so the same document gives the same file.
 *
 * One zlib stream is kept for the writer's life and reset between streams:
 * deflateInit's 256 KB of state are allocated once per batch, not once per
 * page.  Numbers are formatted by hand (pdfw_put_num): printf was a fifth
 * of the time in Cairo's writer.
 */
#include "render/pdfw.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#define OBJSTM_MAX 200
/* zlib's level for every stream: 6 (zlib's default).  On the standard
 * workload level 1 was 10 % faster but 16 % larger — 4,482 bytes a letter,
 * over the 4 KB target — so 6 (docs/performance.md). */
#define PDFW_LEVEL 6

typedef struct {
  uint64_t offset; /* in the file (type 1), or 0 */
  uint32_t stm;    /* the object stream holding it (type 2), or 0 */
  uint32_t index;  /* its index there */
} xref_entry;

struct pdfw {
  bool compact;
  GByteArray *out;
  GArray *xref; /* xref_entry, indexed by object number */
  uint32_t next;
  /* compact: objects waiting for their object stream */
  GString *pending_text;
  GArray *pending; /* uint32_t pairs: number, offset in pending_text */
  z_stream z;
  bool z_ready;
  GByteArray *zbuf;
  GString *scratch;
};

pdfw *pdfw_new(bool compact) {
  pdfw *w = g_new0(pdfw, 1);
  w->compact = compact;
  w->out = g_byte_array_sized_new(1 << 20);
  w->xref = g_array_new(FALSE, TRUE, sizeof(xref_entry));
  g_array_set_size(w->xref, 1);
  w->next = 1;
  w->pending_text = g_string_sized_new(64 * 1024);
  w->pending = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  w->zbuf = g_byte_array_new();
  w->scratch = g_string_sized_new(256);
  static const char header[] = "%PDF-1.5\n%\xb5\xed\xae\xfb\n";
  g_byte_array_append(w->out, (const guint8 *)header, sizeof header - 1);
  return w;
}

void pdfw_free(pdfw *w) {
  if (!w) return;
  if (w->out) g_byte_array_free(w->out, TRUE);
  g_array_free(w->xref, TRUE);
  g_string_free(w->pending_text, TRUE);
  g_array_free(w->pending, TRUE);
  g_byte_array_free(w->zbuf, TRUE);
  g_string_free(w->scratch, TRUE);
  if (w->z_ready) deflateEnd(&w->z);
  g_free(w);
}

uint32_t pdfw_reserve(pdfw *w) {
  uint32_t n = w->next++;
  if (w->xref->len <= n) g_array_set_size(w->xref, n + 1);
  return n;
}

static void put(pdfw *w, const char *s, size_t n) {
  g_byte_array_append(w->out, (const guint8 *)s, (guint)n);
}
static void puts_(pdfw *w, const char *s) { put(w, s, strlen(s)); }

static void begin_object(pdfw *w, uint32_t num) {
  if (w->xref->len <= num) g_array_set_size(w->xref, num + 1);
  xref_entry *e = &g_array_index(w->xref, xref_entry, num);
  e->offset = w->out->len;
  GString *s = w->scratch;
  g_string_truncate(s, 0);
  pdfw_put_int(s, num);
  g_string_append(s, " 0 obj\n");
  put(w, s->str, s->len);
}

/* ---- numbers -------------------------------------------------------------------- */

void pdfw_put_int(GString *s, int64_t v) {
  char buf[24];
  int i = (int)sizeof buf;
  bool neg = v < 0;
  uint64_t u = neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
  do {
    buf[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (neg) buf[--i] = '-';
  g_string_append_len(s, buf + i, (gssize)(sizeof buf - (size_t)i));
}

void pdfw_put_num(GString *s, double v) {
  if (!isfinite(v)) v = 0;
  int64_t k = llround(v * 1000.0);
  if (k == 0) {
    g_string_append_c(s, '0');
    return;
  }
  if (k < 0) {
    g_string_append_c(s, '-');
    k = -k;
  }
  pdfw_put_int(s, k / 1000);
  int frac = (int)(k % 1000);
  if (frac == 0) return;
  char d[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
               (char)('0' + frac % 10)};
  size_t n = 4;
  while (d[n - 1] == '0')
    n--;
  g_string_append_len(s, d, (gssize)n);
}

void pdfw_put_ref(GString *s, uint32_t num) {
  pdfw_put_int(s, num);
  g_string_append(s, " 0 R");
}

void pdfw_put_hex4(GString *s, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char b[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
  g_string_append_len(s, b, 4);
}

bool pdfw_put_utf16_hex(GString *s, const char *utf8, size_t len) {
  bool valid = true;
  const char *p = utf8, *end = utf8 + len;
  while (p < end) {
    gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      p++; /* not UTF-8: skipped */
      valid = false;
      continue;
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      pdfw_put_hex4(s, 0xD800 + (c >> 10));
      pdfw_put_hex4(s, 0xDC00 + (c & 0x3FF));
    } else {
      pdfw_put_hex4(s, c);
    }
    p = g_utf8_next_char(p);
  }
  return valid;
}

void pdfw_put_text_string(GString *s, const char *utf8, size_t len) {
  g_string_append(s, "<FEFF");
  pdfw_put_utf16_hex(s, utf8, len); /* the callers pass validated text */
  g_string_append_c(s, '>');
}

/* ---- streams -------------------------------------------------------------------- */

void pdfw_deflate(pdfw *w, const void *data, size_t len, GByteArray *out) {
  if (!w->z_ready) {
    memset(&w->z, 0, sizeof w->z);
    if (deflateInit(&w->z, PDFW_LEVEL) != Z_OK) g_error("zlib: deflateInit failed");
    w->z_ready = true;
  } else {
    deflateReset(&w->z);
  }
  uLong bound = deflateBound(&w->z, (uLong)len);
  g_byte_array_set_size(out, (guint)bound);
  w->z.next_in = (Bytef *)data;
  w->z.avail_in = (uInt)len;
  w->z.next_out = out->data;
  w->z.avail_out = (uInt)bound;
  if (deflate(&w->z, Z_FINISH) != Z_STREAM_END) g_error("zlib: deflate did not finish");
  g_byte_array_set_size(out, (guint)w->z.total_out);
}

static void stream_raw(pdfw *w, uint32_t num, const char *dict, const void *data, size_t len,
                       bool flate) {
  begin_object(w, num);
  GString *s = w->scratch;
  g_string_assign(s, "<< /Length ");
  pdfw_put_int(s, (int64_t)len);
  if (flate) g_string_append(s, " /Filter /FlateDecode");
  if (dict && *dict) {
    g_string_append_c(s, ' ');
    g_string_append(s, dict);
  }
  g_string_append(s, " >>\nstream\n");
  put(w, s->str, s->len);
  put(w, data, len);
  puts_(w, "\nendstream\nendobj\n");
}

void pdfw_stream(pdfw *w, uint32_t num, const char *dict, const void *data, size_t len,
                 bool deflate) {
  if (!deflate) {
    stream_raw(w, num, dict, data, len, false);
    return;
  }
  pdfw_deflate(w, data, len, w->zbuf);
  stream_raw(w, num, dict, w->zbuf->data, w->zbuf->len, true);
}

void pdfw_stream_deflated(pdfw *w, uint32_t num, const char *dict, const void *z, size_t zlen) {
  stream_raw(w, num, dict, z, zlen, true);
}

/* ---- other objects -------------------------------------------------------------- */

/* The pending objects as one object stream: "num offset …" then the objects. */
static void flush_objstm(pdfw *w) {
  size_t n = w->pending->len / 2;
  if (n == 0) return;
  uint32_t stm = pdfw_reserve(w);
  GString *head = g_string_sized_new(n * 12);
  for (size_t i = 0; i < n; i++) {
    uint32_t num = g_array_index(w->pending, uint32_t, 2 * i);
    uint32_t off = g_array_index(w->pending, uint32_t, 2 * i + 1);
    pdfw_put_int(head, num);
    g_string_append_c(head, ' ');
    pdfw_put_int(head, off);
    g_string_append_c(head, ' ');
    xref_entry *e = &g_array_index(w->xref, xref_entry, num);
    e->offset = 0, e->stm = stm, e->index = (uint32_t)i;
  }
  size_t first = head->len;
  g_string_append_len(head, w->pending_text->str, (gssize)w->pending_text->len);
  GString *dict = g_string_new("/Type /ObjStm /N ");
  pdfw_put_int(dict, (int64_t)n);
  g_string_append(dict, " /First ");
  pdfw_put_int(dict, (int64_t)first);
  pdfw_stream(w, stm, dict->str, head->str, head->len, true);
  g_string_free(dict, TRUE);
  g_string_free(head, TRUE);
  g_string_truncate(w->pending_text, 0);
  g_array_set_size(w->pending, 0);
}

void pdfw_object(pdfw *w, uint32_t num, const char *text, size_t len) {
  if (w->xref->len <= num) g_array_set_size(w->xref, num + 1);
  if (!w->compact) {
    begin_object(w, num);
    put(w, text, len);
    puts_(w, "\nendobj\n");
    return;
  }
  uint32_t pair[2] = {num, (uint32_t)w->pending_text->len};
  g_array_append_vals(w->pending, pair, 2);
  g_string_append_len(w->pending_text, text, (gssize)len);
  g_string_append_c(w->pending_text, '\n');
  if (w->pending->len / 2 >= OBJSTM_MAX) flush_objstm(w);
}

/* ---- the end -------------------------------------------------------------------- */

/* The /ID: the first 16 bytes of SHA-256 of everything before the trailer. */
static void put_id(pdfw *w, GString *s) {
  GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(h, w->out->data, w->out->len);
  guint8 digest[32];
  gsize dn = sizeof digest;
  g_checksum_get_digest(h, digest, &dn);
  g_checksum_free(h);
  static const char hex[] = "0123456789abcdef";
  char id[33];
  for (int i = 0; i < 16; i++)
    id[2 * i] = hex[digest[i] >> 4], id[2 * i + 1] = hex[digest[i] & 15];
  id[32] = 0;
  g_string_append_printf(s, " /ID [<%s> <%s>]", id, id);
}

/* The trailer's /Root, /Info (when there is one) and /ID. */
static void put_trailer_keys(pdfw *w, GString *s, uint32_t root, uint32_t info) {
  g_string_append(s, " /Root ");
  pdfw_put_ref(s, root);
  if (info) {
    g_string_append(s, " /Info ");
    pdfw_put_ref(s, info);
  }
  put_id(w, s);
}

static void put_be(guint8 *p, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; i--, v >>= 8)
    p[i] = (guint8)(v & 0xFF);
}

static void finish_xref_stream(pdfw *w, uint32_t root, uint32_t info) {
  uint32_t xnum = pdfw_reserve(w);
  size_t size = w->xref->len;
  g_array_index(w->xref, xref_entry, xnum).offset = w->out->len;
  GByteArray *rows = g_byte_array_sized_new((guint)(size * 7));
  g_byte_array_set_size(rows, (guint)(size * 7));
  for (size_t i = 0; i < size; i++) {
    const xref_entry *e = &g_array_index(w->xref, xref_entry, i);
    guint8 *r = rows->data + i * 7;
    if (e->stm) {
      r[0] = 2, put_be(r + 1, e->stm, 4), put_be(r + 5, e->index, 2);
    } else if (e->offset) {
      r[0] = 1, put_be(r + 1, e->offset, 4), put_be(r + 5, 0, 2);
    } else {
      r[0] = 0, put_be(r + 1, 0, 4), put_be(r + 5, i == 0 ? 65535 : 0, 2);
    }
  }
  GString *dict = g_string_new("/Type /XRef /Size ");
  pdfw_put_int(dict, (int64_t)size);
  g_string_append(dict, " /W [1 4 2]");
  put_trailer_keys(w, dict, root, info);
  uint64_t at = w->out->len;
  pdfw_stream(w, xnum, dict->str, rows->data, rows->len, true);
  g_string_assign(dict, "startxref\n");
  pdfw_put_int(dict, (int64_t)at);
  g_string_append(dict, "\n%%EOF\n");
  put(w, dict->str, dict->len);
  g_string_free(dict, TRUE);
  g_byte_array_free(rows, TRUE);
}

static void finish_xref_table(pdfw *w, uint32_t root, uint32_t info) {
  uint64_t at = w->out->len;
  size_t size = w->xref->len;
  GString *s = g_string_sized_new(size * 20 + 200);
  g_string_append(s, "xref\n0 ");
  pdfw_put_int(s, (int64_t)size);
  g_string_append(s, "\n0000000000 65535 f \n");
  for (size_t i = 1; i < size; i++) {
    const xref_entry *e = &g_array_index(w->xref, xref_entry, i);
    char line[21];
    uint64_t off = e->offset;
    for (int k = 9; k >= 0; k--, off /= 10)
      line[k] = (char)('0' + off % 10);
    memcpy(line + 10, e->offset ? " 00000 n \n" : " 00000 f \n", 11);
    g_string_append_len(s, line, 20);
  }
  g_string_append(s, "trailer\n<< /Size ");
  pdfw_put_int(s, (int64_t)size);
  put_trailer_keys(w, s, root, info);
  g_string_append(s, " >>\nstartxref\n");
  pdfw_put_int(s, (int64_t)at);
  g_string_append(s, "\n%%EOF\n");
  put(w, s->str, s->len);
  g_string_free(s, TRUE);
}

GByteArray *pdfw_finish(pdfw *w, uint32_t root, uint32_t info) {
  if (w->compact) {
    flush_objstm(w);
    finish_xref_stream(w, root, info);
  } else {
    finish_xref_table(w, root, info);
  }
  GByteArray *out = w->out;
  w->out = NULL;
  return out;
}
