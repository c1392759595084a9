/* mailing.c — Japan Post's classes of a letter-post piece, for the mailing
 * plan the vendor posts by (run/mailing.c writes the plan).
 *
 * 定形郵便物 is a piece of 90–120 × 140–235 mm, at most 10 mm thick and
 * 50 g; its postage has two weight steps, up to 25 g and up to 50 g.  Any
 * other piece is 定形外.  The customer-barcode discount (バーコード付郵便物)
 * takes 定形 pieces at most 6 mm thick only.  Sources and the rest of the
 * rules (1,000 pieces of one shape and weight, 2,000 for 区分郵便物) are in
 * docs/vendor-handoff.md.  Limits are inclusive: exactly 25.0 g is 定形25g.
 */
#include "postal/postal_private.h"

/* A little slack for sums of decimal weights (4.99 × 5 + …). */
#define EPS 1e-9

tg_mail_class tg_mail_classify(const tg_mail_piece *p) {
  double w = p->width_mm < p->length_mm ? p->width_mm : p->length_mm;
  double l = p->width_mm < p->length_mm ? p->length_mm : p->width_mm;
  bool size_ok = w >= 90 - EPS && w <= 120 + EPS && l >= 140 - EPS && l <= 235 + EPS;
  if (!size_ok || p->thickness_mm > 10 + EPS || p->weight_g > 50 + EPS) return TG_MAIL_TEIKEIGAI;
  return p->weight_g > 25 + EPS ? TG_MAIL_TEIKEI_50 : TG_MAIL_TEIKEI_25;
}

const char *tg_mail_class_name(tg_mail_class c) {
  switch (c) {
  case TG_MAIL_TEIKEI_25: return "定形25g";
  case TG_MAIL_TEIKEI_50: return "定形50g";
  default: return "定形外";
  }
}

bool tg_mail_barcode_machinable(const tg_mail_piece *p) {
  return tg_mail_classify(p) != TG_MAIL_TEIKEIGAI && p->thickness_mm <= 6 + EPS;
}
