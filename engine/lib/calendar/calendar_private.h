/* calendar/calendar_private.h — shared internals of the calendar stage.
 *
 * wareki.c reads and converts dates; refdate.c finds the date a list speaks
 * of in its title lines.  Both read dates by hand, a number and a mark at a
 * time; the two small readers they share are here (defined in wareki.c).
 * Nothing here is visible outside the stage.
 */
#ifndef TG_CALENDAR_PRIVATE_H
#define TG_CALENDAR_PRIVATE_H

#include "base/base.h"
#include "tegami/calendar.h"

/* Read 1..max_digits ASCII digits at *p into *out and step past them; false
 * (nothing read) when there are none or more than max_digits. */
bool calendar_read_digits(const char **p, int max_digits, int *out);

/* Step past `s` when *p starts with it. */
bool calendar_eat(const char **p, const char *s);

#endif
