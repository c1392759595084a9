/* targets/targets_private.h — shared internals of the targets stage. */
#ifndef TG_TARGETS_PRIVATE_H
#define TG_TARGETS_PRIVATE_H

#include "base/base.h"
#include "tegami/targets.h"

#endif
