/* security/security_private.h — what the files of the security stage share.
 *
 * audit.c keeps the hash-chained audit log, encrypt.c encrypts finished
 * PDFs with a secret read from a file or the environment, purge.c removes
 * output folders it recognises as tegami's (recording them in an audit
 * entry).  They share nothing but the headers below.
 */
#ifndef TG_SECURITY_PRIVATE_H
#define TG_SECURITY_PRIVATE_H

#include "base/base.h"
#include "tegami/security.h"

#endif
