/* arena.c — a bump allocator for per-letter work.
 *
 * Everything a letter needs while it is merged, laid out and drawn comes from
 * one arena that is reset after the letter, so memory stays flat however long
 * the list is.  The first block is kept across resets; larger requests get
 * their own block, released at reset.
 */
#include "base/base.h"

#include <string.h>

typedef struct block {
  struct block *next;
  size_t size, used;
  max_align_t data[];
} block;

struct tg_arena {
  block *head;  /* current block (first in list) */
  block *first; /* the block kept on reset */
  size_t block_size;
  size_t used_total;
};

static block *block_new(size_t size) {
  block *b = g_malloc(sizeof(block) + size);
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

tg_arena *tg_arena_new(size_t block_size) {
  tg_arena *a = g_new0(tg_arena, 1);
  a->block_size = block_size ? block_size : 64 * 1024;
  a->first = a->head = block_new(a->block_size);
  return a;
}

void *tg_arena_alloc(tg_arena *a, size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (size == 0) size = 16;
  block *b = a->head;
  if (b->used + size > b->size) {
    size_t bs = size > a->block_size ? size : a->block_size;
    b = block_new(bs);
    b->next = a->head;
    a->head = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  a->used_total += size;
  memset(p, 0, size);
  return p;
}

char *tg_arena_strndup(tg_arena *a, const char *s, size_t len) {
  char *p = tg_arena_alloc(a, len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void tg_arena_reset(tg_arena *a) {
  block *b = a->head;
  while (b != a->first) {
    block *next = b->next;
    g_free(b);
    b = next;
  }
  a->first->used = 0;
  a->first->next = NULL;
  a->head = a->first;
  a->used_total = 0;
}

size_t tg_arena_get_used(const tg_arena *a) { return a->used_total; }

void tg_arena_free(tg_arena *a) {
  if (!a) return;
  tg_arena_reset(a);
  g_free(a->first);
  g_free(a);
}
