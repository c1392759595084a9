/* design/design_private.h — what the design stage keeps behind tg_design.
 *
 * The public tg_design is the first member, so a tg_design* is a
 * design_impl*.  The source text and YAML tree live as long as the design:
 * tg_text strings point into them.
 */
#ifndef TG_DESIGN_PRIVATE_H
#define TG_DESIGN_PRIVATE_H

#include "base/base.h"
#include "tegami/design.h"

typedef struct design_impl {
  tg_design pub;
  tg_source *src;
  tg_ydoc *doc;
  tg_arena *arena;
} design_impl;

#endif
