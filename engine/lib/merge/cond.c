/* cond.c — rules over a row: `eGFR < 45`, `年齢 in 40..64 and 性別 == "男"`.
 *
 * One small language serves every decision a design makes about a letter:
 * {{#if}} in texts, `when:` on blocks and table rows, and the `when:` of
 * message segments.  A rule is compiled once against the list's columns
 * (unknown names are load errors with a suggestion) and folded when it uses
 * only constants.  Semantics, chosen so that a wrong letter is never sent
 * silently:
 *   - a bare operand is true when its value is not empty (spaces ignored);
 *   - <, <=, >, >= and ranges compare numbers; == and != compare numbers when
 *     one side is a number written in the rule, text (trimmed) otherwise;
 *   - an empty value satisfies no comparison (so `not (eGFR < 45)` holds for
 *     a row without eGFR);
 *   - a value that is not empty and not a number, where a number is needed,
 *     rejects the row (data.not-a-number): it is never quietly false.
 * Names with spaces or operator characters are written in backquotes.
 */
#include "merge/merge_private.h"

#include <string.h>

typedef enum {
  C_CONST, /* folded: value */
  C_OR,
  C_AND,
  C_NOT,
  C_TRUTHY, /* lhs */
  C_CMP,    /* lhs op rhs */
  C_RANGE,  /* lhs in lo..hi */
  C_LIST,   /* lhs in [items] */
} ckind;

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;

struct merge_cond {
  ckind kind;
  bool value;
  merge_cond *a, *b;
  operand lhs, rhs;
  cmp_op op;
  bool numeric;
  double lo, hi;
  bool hi_open;
  operand *items;
  size_t nitems;
  size_t off, len; /* the whole comparison in the text, for messages */
};

/* ---- lexer ------------------------------------------------------------------------ */

typedef enum {
  K_END,
  K_LPAREN,
  K_RPAREN,
  K_LBRACK,
  K_RBRACK,
  K_COMMA,
  K_OP,
  K_DOTDOT,
  K_DOTDOTLT,
  K_STRING,
  K_NUMBER,
  K_NAME,
  K_AND,
  K_OR,
  K_NOT,
  K_IN,
  K_BAD,
} tkind;

typedef struct {
  tkind kind;
  size_t off, len; /* in the text */
  cmp_op op;
  double num;
  char *str; /* K_STRING, K_NAME: owned */
} token;

typedef struct {
  mparser *P;
  size_t pos, end;
  token tok;
} lexer;

static bool name_char(const char *s, size_t i, size_t end) {
  unsigned char c = (unsigned char)s[i];
  if (c >= 0x80) /* an ideographic space ends a name */
    return !(end - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0);
  return !strchr(" \t\r\n()[],<>=!\"`&|", c);
}

/* A number token: -?digits(.digits)? not followed by a name character (so
 * "1年前受診状況" is a name) and not swallowing a "..". */
static bool lex_number(lexer *X, size_t start) {
  const char *s = X->P->s;
  size_t p = start;
  if (p < X->end && s[p] == '-') p++;
  size_t d0 = p;
  while (p < X->end && g_ascii_isdigit(s[p]))
    p++;
  if (p == d0) return false;
  if (p + 1 < X->end && s[p] == '.' && g_ascii_isdigit(s[p + 1])) {
    p++;
    while (p < X->end && g_ascii_isdigit(s[p]))
      p++;
  }
  bool dotdot = p + 1 < X->end && s[p] == '.' && s[p + 1] == '.';
  if (p < X->end && !dotdot && name_char(s, p, X->end)) return false;
  char buf[64];
  if (p - start >= sizeof buf) return false;
  memcpy(buf, s + start, p - start);
  buf[p - start] = '\0';
  double v;
  if (!tg_parse_number(buf, &v)) return false;
  X->tok.kind = K_NUMBER;
  X->tok.num = v;
  X->tok.len = p - start;
  X->pos = p;
  return true;
}

/* Skip spaces, tabs, line ends and ideographic spaces between tokens. */
static void lex_skip_space(lexer *X) {
  const char *s = X->P->s;
  for (;;) {
    if (X->pos < X->end && strchr(" \t\r\n", s[X->pos]))
      X->pos++;
    else if (X->end - X->pos >= 3 && memcmp(s + X->pos, "\xE3\x80\x80", 3) == 0)
      X->pos += 3;
    else
      break;
  }
}

/* ( ) [ ] and the comma: one character each.  False for anything else. */
static bool lex_punct(lexer *X, char c) {
  static const struct {
    char c;
    tkind kind;
  } PUNCT[] = {{'(', K_LPAREN}, {')', K_RPAREN}, {'[', K_LBRACK}, {']', K_RBRACK}, {',', K_COMMA}};
  for (size_t i = 0; i < G_N_ELEMENTS(PUNCT); i++)
    if (c == PUNCT[i].c) {
      X->tok.kind = PUNCT[i].kind;
      X->pos++;
      return true;
    }
  return false;
}

/* A comparison: < <= > >= == !=; a lone = or ! is a bad token. */
static void lex_compare(lexer *X, char c) {
  const char *s = X->P->s;
  token *t = &X->tok;
  bool eq = X->pos + 1 < X->end && s[X->pos + 1] == '=';
  t->kind = K_OP;
  t->len = eq ? 2 : 1;
  if (c == '<')
    t->op = eq ? OP_LE : OP_LT;
  else if (c == '>')
    t->op = eq ? OP_GE : OP_GT;
  else if (c == '=' && eq)
    t->op = OP_EQ;
  else if (c == '!' && eq)
    t->op = OP_NE;
  else
    t->kind = K_BAD;
  X->pos += t->len;
}

/* "quoted text" (with \ escapes) or `a name` written with any characters,
 * both ending on the same line.  Unterminated: reported, a bad token. */
static void lex_quoted(lexer *X, char c) {
  const char *s = X->P->s;
  token *t = &X->tok;
  size_t p = X->pos + 1;
  GString *out = g_string_new(NULL);
  while (p < X->end && s[p] != c && s[p] != '\n') {
    if (c == '"' && s[p] == '\\' && p + 1 < X->end) p++;
    g_string_append_c(out, s[p++]);
  }
  if (p >= X->end || s[p] != c) {
    g_string_free(out, TRUE);
    t->kind = K_BAD;
    t->len = p - X->pos;
    X->pos = p;
    merge_error(X->P, t->off, t->len, TG_KIND_SYNTAX, "template.unterminated-string",
                c == '"' ? "unterminated quoted text" : "unterminated `name`");
    return;
  }
  t->kind = c == '"' ? K_STRING : K_NAME;
  t->str = g_string_free(out, FALSE);
  t->len = p + 1 - X->pos;
  X->pos = p + 1;
}

/* A name (a column or a constant) or one of the words and, or, not, in: up
 * to the first character that ends names, and before a "..". */
static void lex_name(lexer *X) {
  const char *s = X->P->s;
  token *t = &X->tok;
  size_t p = X->pos;
  while (p < X->end && name_char(s, p, X->end)) {
    /* stop before ".." (a range) */
    if (s[p] == '.' && p + 1 < X->end && s[p + 1] == '.') break;
    p = (size_t)(tg_utf8_next(s + p) - s);
  }
  if (p > X->end) p = X->end;
  if (p == X->pos) {
    t->kind = K_BAD;
    t->len = (size_t)(tg_utf8_next(s + p) - (s + p));
    X->pos += t->len;
    return;
  }
  t->len = p - X->pos;
  t->str = g_strndup(s + X->pos, t->len);
  X->pos = p;
  if (strcmp(t->str, "and") == 0)
    t->kind = K_AND;
  else if (strcmp(t->str, "or") == 0)
    t->kind = K_OR;
  else if (strcmp(t->str, "not") == 0)
    t->kind = K_NOT;
  else if (strcmp(t->str, "in") == 0)
    t->kind = K_IN;
  else
    t->kind = K_NAME;
}

/* Read the next token of the rule into X->tok (releasing the last one). */
static void lex_next(lexer *X) {
  g_free(X->tok.str);
  memset(&X->tok, 0, sizeof X->tok);
  lex_skip_space(X);
  const char *s = X->P->s;
  token *t = &X->tok;
  t->off = X->pos;
  t->len = 1;
  if (X->pos >= X->end) {
    t->kind = K_END;
    return;
  }
  char c = s[X->pos];
  if (lex_punct(X, c)) return;
  if (c == '.' && X->pos + 1 < X->end && s[X->pos + 1] == '.') {
    bool lt = X->pos + 2 < X->end && s[X->pos + 2] == '<';
    t->kind = lt ? K_DOTDOTLT : K_DOTDOT;
    t->len = lt ? 3 : 2;
    X->pos += t->len;
    return;
  }
  if (strchr("<>=!", c)) {
    lex_compare(X, c);
    return;
  }
  if (c == '"' || c == '`') {
    lex_quoted(X, c);
    return;
  }
  if ((g_ascii_isdigit(c) || c == '-') && lex_number(X, X->pos)) return;
  if (c == '&' || c == '|') {
    t->kind = K_BAD;
    t->len = X->pos + 1 < X->end && s[X->pos + 1] == c ? 2 : 1;
    X->pos += t->len;
    return;
  }
  lex_name(X);
}

/* ---- parser ----------------------------------------------------------------------- */

static void cond_free_fields(merge_cond *c) {
  merge_cond_free(c->a);
  merge_cond_free(c->b);
  merge_operand_clear(&c->lhs);
  merge_operand_clear(&c->rhs);
  for (size_t i = 0; i < c->nitems; i++)
    merge_operand_clear(&c->items[i]);
  g_free(c->items);
}

void merge_cond_free(merge_cond *c) {
  if (!c) return;
  cond_free_fields(c);
  g_free(c);
}

static void expected(lexer *X, const char *what) {
  token *t = &X->tok;
  if (t->kind == K_BAD && (X->P->s[t->off] == '&' || X->P->s[t->off] == '|')) {
    merge_error(X->P, t->off, t->len, TG_KIND_SYNTAX, "template.rule",
                "write 'and' and 'or' in rules, not '%.*s'", (int)t->len, X->P->s + t->off);
    return;
  }
  if (t->kind == K_BAD && X->P->s[t->off] == '=') {
    merge_error(X->P, t->off, t->len, TG_KIND_SYNTAX, "template.rule",
                "write '==' to compare, not '='");
    return;
  }
  if (t->kind == K_END)
    merge_error(X->P, t->off ? t->off - 1 : 0, 1, TG_KIND_SYNTAX, "template.rule",
                "the rule ends too early: expected %s", _(what));
  else
    merge_error(X->P, t->off, t->len, TG_KIND_SYNTAX, "template.rule", "expected %s here", _(what));
}

static merge_cond *parse_or(lexer *X);

/* An operand token: number, "text", name. */
static bool parse_operand(lexer *X, operand *o) {
  token *t = &X->tok;
  memset(o, 0, sizeof *o);
  o->off = t->off;
  o->olen = t->len;
  if (t->kind == K_NUMBER) {
    o->kind = OPD_NUMBER;
    o->num = t->num;
    o->text = g_strndup(X->P->s + t->off, t->len);
    o->len = t->len;
    lex_next(X);
    return true;
  }
  if (t->kind == K_STRING) {
    o->kind = OPD_TEXT;
    o->text = t->str;
    o->len = strlen(t->str);
    t->str = NULL;
    lex_next(X);
    return true;
  }
  if (t->kind == K_NAME) {
    /* a backquoted name spans its quotes; point inside them */
    size_t noff = t->off, nlen = t->len;
    if (X->P->s[noff] == '`') noff++, nlen -= 2;
    bool ok = merge_resolve_name(X->P, t->str, noff, nlen ? nlen : 1, o);
    o->off = t->off;
    o->olen = t->len;
    lex_next(X);
    return ok;
  }
  expected(X, "a column, a number or \"text\"");
  return false;
}

static merge_cond *new_cond(ckind k, size_t off) {
  merge_cond *c = g_new0(merge_cond, 1);
  c->kind = k;
  c->off = off;
  return c;
}

static merge_cond *parse_primary(lexer *X) {
  token *t = &X->tok;
  if (t->kind == K_LPAREN) {
    size_t open = t->off;
    lex_next(X);
    merge_cond *c = parse_or(X);
    if (!c) return NULL;
    if (X->tok.kind != K_RPAREN) {
      if (X->tok.kind == K_END)
        merge_error(X->P, open, 1, TG_KIND_SYNTAX, "template.rule", "'(' is not closed");
      else
        expected(X, "')'");
      merge_cond_free(c);
      return NULL;
    }
    lex_next(X);
    return c;
  }
  size_t start = t->off;
  merge_cond *c = new_cond(C_TRUTHY, start);
  if (!parse_operand(X, &c->lhs)) {
    merge_cond_free(c);
    return NULL;
  }
  if (X->tok.kind == K_OP) {
    c->kind = C_CMP;
    c->op = X->tok.op;
    size_t op_off = X->tok.off, op_len = X->tok.len;
    lex_next(X);
    if (!parse_operand(X, &c->rhs)) {
      merge_cond_free(c);
      return NULL;
    }
    const operand *lit = c->lhs.kind == OPD_TEXT && !c->lhs.len   ? &c->lhs
                         : c->rhs.kind == OPD_TEXT && !c->rhs.len ? &c->rhs
                                                                  : NULL;
    if (lit && (X->P->s[lit->off] == '"')) {
      merge_error(X->P, lit->off, lit->olen, TG_KIND_SCHEMA, "template.rule-empty",
                  "an empty value satisfies no comparison");
      tg_diag_hint(X->P->d, "test for an empty column with 'not COLUMN'");
      merge_cond_free(c);
      return NULL;
    }
    bool has_number = c->lhs.kind == OPD_NUMBER || c->rhs.kind == OPD_NUMBER;
    c->numeric = c->op > OP_NE || has_number;
    if (c->op > OP_NE && (c->lhs.kind == OPD_TEXT || c->rhs.kind == OPD_TEXT) && !has_number &&
        (c->lhs.kind == OPD_TEXT) != (c->rhs.kind == OPD_TEXT)) {
      /* e.g. 性別 < "男": the text side is a literal, not a number */
      const operand *txt = c->lhs.kind == OPD_TEXT ? &c->lhs : &c->rhs;
      double v;
      if (!merge_parse_decimal(txt->text, txt->len, &v)) {
        merge_error(X->P, op_off, op_len, TG_KIND_SCHEMA, "template.rule-type",
                    "'%.*s' compares numbers, but one side is text", (int)op_len, X->P->s + op_off);
        tg_diag_hint(X->P->d, "compare text with == or !=");
        merge_cond_free(c);
        return NULL;
      }
    }
  } else if (X->tok.kind == K_IN) {
    lex_next(X);
    if (X->tok.kind == K_LBRACK) {
      c->kind = C_LIST;
      lex_next(X);
      GArray *items = g_array_new(FALSE, TRUE, sizeof(operand));
      bool ok = true;
      for (;;) {
        if (X->tok.kind != K_NUMBER && X->tok.kind != K_STRING) {
          expected(X, "a number or \"text\" in the list");
          ok = false;
          break;
        }
        operand o;
        parse_operand(X, &o);
        g_array_append_val(items, o);
        if (X->tok.kind == K_COMMA) {
          lex_next(X);
          continue;
        }
        if (X->tok.kind == K_RBRACK) {
          lex_next(X);
          break;
        }
        expected(X, "',' or ']'");
        ok = false;
        break;
      }
      c->nitems = items->len;
      c->items = (operand *)g_array_free(items, FALSE);
      if (!ok) {
        merge_cond_free(c);
        return NULL;
      }
    } else if (X->tok.kind == K_NUMBER) {
      c->kind = C_RANGE;
      c->lo = X->tok.num;
      size_t lo_off = X->tok.off;
      lex_next(X);
      if (X->tok.kind != K_DOTDOT && X->tok.kind != K_DOTDOTLT) {
        expected(X, "'..' or '..<' (a range such as 40..64)");
        merge_cond_free(c);
        return NULL;
      }
      c->hi_open = X->tok.kind == K_DOTDOTLT;
      lex_next(X);
      if (X->tok.kind != K_NUMBER) {
        expected(X, "the upper end of the range");
        merge_cond_free(c);
        return NULL;
      }
      c->hi = X->tok.num;
      size_t hi_end = X->tok.off + X->tok.len;
      lex_next(X);
      if (c->hi < c->lo || (c->hi_open && c->hi == c->lo)) {
        merge_error(X->P, lo_off, hi_end - lo_off, TG_KIND_SCHEMA, "template.rule-range",
                    "this range is empty: its upper end is below its lower end");
        merge_cond_free(c);
        return NULL;
      }
    } else {
      expected(X, "a range (40..64) or a list ([\"男\", \"女\"]) after 'in'");
      merge_cond_free(c);
      return NULL;
    }
  } else if (c->lhs.kind == OPD_NUMBER) {
    merge_error(X->P, c->lhs.off, c->lhs.olen, TG_KIND_SCHEMA, "template.rule",
                "a number alone is not a rule: compare it with a column");
    merge_cond_free(c);
    return NULL;
  }
  c->len = (X->tok.kind == K_END ? X->end : X->tok.off) - start;
  while (c->len > 0 && strchr(" \t\n", X->P->s[start + c->len - 1]))
    c->len--;
  return c;
}

static merge_cond *parse_not(lexer *X) {
  if (X->tok.kind == K_NOT) {
    size_t off = X->tok.off;
    lex_next(X);
    merge_cond *inner = parse_not(X);
    if (!inner) return NULL;
    merge_cond *c = new_cond(C_NOT, off);
    c->a = inner;
    return c;
  }
  return parse_primary(X);
}

static merge_cond *parse_and(lexer *X) {
  merge_cond *l = parse_not(X);
  while (l && X->tok.kind == K_AND) {
    lex_next(X);
    merge_cond *r = parse_not(X);
    if (!r) {
      merge_cond_free(l);
      return NULL;
    }
    merge_cond *c = new_cond(C_AND, l->off);
    c->a = l;
    c->b = r;
    l = c;
  }
  return l;
}

static merge_cond *parse_or(lexer *X) {
  merge_cond *l = parse_and(X);
  while (l && X->tok.kind == K_OR) {
    lex_next(X);
    merge_cond *r = parse_and(X);
    if (!r) {
      merge_cond_free(l);
      return NULL;
    }
    merge_cond *c = new_cond(C_OR, l->off);
    c->a = l;
    c->b = r;
    l = c;
  }
  return l;
}

/* Rules over constants only are decided now. */
static void fold(mparser *P, merge_cond *c) {
  if (!c) return;
  fold(P, c->a);
  fold(P, c->b);
  if (c->kind == C_CONST || !merge_cond_is_static(c)) return;
  merge_env E = {.m = P->m, .t = P->t, .d = P->d};
  int v = merge_cond_eval(c, &E);
  if (v < 0) {
    P->ok = false;
    return;
  }
  cond_free_fields(c);
  memset(c, 0, sizeof *c);
  c->kind = C_CONST;
  c->value = v == 1;
}

merge_cond *merge_cond_parse(mparser *P, size_t start, size_t end) {
  lexer X = {.P = P, .pos = start, .end = end};
  lex_next(&X);
  if (X.tok.kind == K_END) {
    merge_error(P, start ? start - 1 : 0, 1, TG_KIND_SYNTAX, "template.rule", "the rule is empty");
    return NULL;
  }
  bool was_ok = P->ok;
  P->ok = true;
  merge_cond *c = parse_or(&X);
  if (c && X.tok.kind != K_END) {
    if (X.tok.kind == K_NAME || X.tok.kind == K_NUMBER || X.tok.kind == K_STRING)
      expected(&X, "'and', 'or' or a comparison");
    else
      expected(&X, "the end of the rule");
    merge_cond_free(c);
    c = NULL;
  }
  g_free(X.tok.str);
  if (c && !P->ok) {
    merge_cond_free(c);
    c = NULL;
  }
  if (c) fold(P, c);
  if (!P->ok) {
    merge_cond_free(c);
    c = NULL;
  }
  P->ok = P->ok && was_ok;
  if (!c) P->ok = false;
  return c;
}

/* ---- evaluation ---------------------------------------------------------------------- */

static bool operand_static(const operand *o) { return merge_operand_is_static(o); }

bool merge_cond_is_static(const merge_cond *c) {
  if (!c) return true;
  switch (c->kind) {
  case C_CONST: return true;
  case C_OR:
  case C_AND: return merge_cond_is_static(c->a) && merge_cond_is_static(c->b);
  case C_NOT: return merge_cond_is_static(c->a);
  case C_TRUTHY:
  case C_RANGE:
  case C_LIST: return operand_static(&c->lhs);
  case C_CMP: return operand_static(&c->lhs) && operand_static(&c->rhs);
  }
  return true;
}

bool merge_cond_uses_letter(const merge_cond *c) {
  if (!c) return false;
  switch (c->kind) {
  case C_CONST: return false;
  case C_OR:
  case C_AND: return merge_cond_uses_letter(c->a) || merge_cond_uses_letter(c->b);
  case C_NOT: return merge_cond_uses_letter(c->a);
  case C_CMP: return c->lhs.kind == OPD_LETTER || c->rhs.kind == OPD_LETTER;
  default: return c->lhs.kind == OPD_LETTER;
  }
}

static void mark(const operand *o, bool *used, size_t ncols) {
  if (o->kind == OPD_FIELD && o->col >= 0 && (size_t)o->col < ncols) used[o->col] = true;
}

void merge_cond_columns(const merge_cond *c, bool *used, size_t ncols) {
  if (!c) return;
  merge_cond_columns(c->a, used, ncols);
  merge_cond_columns(c->b, used, ncols);
  if (c->kind == C_CONST) return;
  mark(&c->lhs, used, ncols);
  mark(&c->rhs, used, ncols);
}

static void add_literal(GArray *out, const operand *field, const operand *lit) {
  if (field->kind != OPD_FIELD || field->col < 0) return;
  merge_cond_literal l = {.col = field->col};
  if (lit && lit->kind == OPD_NUMBER) {
    l.numeric = true;
    l.num = lit->num;
  } else if (lit && lit->kind == OPD_TEXT) {
    l.text = lit->text;
    l.numeric = merge_parse_decimal(lit->text, lit->len, &l.num);
  }
  g_array_append_val(out, l);
}

void merge_cond_literals(const merge_cond *c, GArray *out) {
  if (!c) return;
  merge_cond_literals(c->a, out);
  merge_cond_literals(c->b, out);
  switch (c->kind) {
  case C_TRUTHY: add_literal(out, &c->lhs, NULL); break;
  case C_CMP:
    add_literal(out, &c->lhs, &c->rhs);
    add_literal(out, &c->rhs, &c->lhs);
    break;
  case C_RANGE: {
    operand lo = {.kind = OPD_NUMBER, .num = c->lo}, hi = {.kind = OPD_NUMBER, .num = c->hi};
    add_literal(out, &c->lhs, &lo);
    add_literal(out, &c->lhs, &hi);
    break;
  }
  case C_LIST:
    for (size_t i = 0; i < c->nitems; i++)
      add_literal(out, &c->lhs, &c->items[i]);
    break;
  default: break;
  }
}

/* A value as a number: 1 = number, 0 = empty, -1 = error (reported). */
static int as_number(const merge_cond *c, const operand *o, const merge_env *E, double *v) {
  if (o->kind == OPD_NUMBER) {
    *v = o->num;
    return 1;
  }
  GString *s = g_string_new(NULL);
  if (!merge_operand_value(o, E, s, NULL)) {
    g_string_free(s, TRUE);
    return -1;
  }
  const char *p = s->str;
  size_t n = s->len;
  merge_trim(&p, &n);
  int r = 1;
  if (n == 0)
    r = 0;
  else if (!merge_parse_decimal(p, n, v)) {
    tg_span sp = tg_text_span(E->t, c->off, c->len);
    const char *file = sp.src ? tg_source_get_name(sp.src) : "the design";
    if (E->row && o->kind == OPD_FIELD)
      tg_diag_row(E->d, TG_ERROR, TG_KIND_DATA, "data.not-a-number", E->list_path, E->row->number,
                  o->text, "the value is not a number, which the rule at %s:%u needs", file,
                  sp.line);
    else
      tg_diag_at(E->d, TG_ERROR, TG_KIND_SCHEMA, "template.not-a-number",
                 tg_text_span(E->t, o->off, o->olen), "this value is not a number");
    r = -1;
  }
  g_string_free(s, TRUE);
  return r;
}

/* A value as trimmed text (owned). NULL on error. */
static char *as_text(const operand *o, const merge_env *E) {
  GString *s = g_string_new(NULL);
  if (!merge_operand_value(o, E, s, NULL)) {
    g_string_free(s, TRUE);
    return NULL;
  }
  const char *p = s->str;
  size_t n = s->len;
  merge_trim(&p, &n);
  char *r = g_strndup(p, n);
  g_string_free(s, TRUE);
  return r;
}

static bool compare(cmp_op op, double a, double b) {
  switch (op) {
  case OP_EQ: return a == b;
  case OP_NE: return a != b;
  case OP_LT: return a < b;
  case OP_LE: return a <= b;
  case OP_GT: return a > b;
  case OP_GE: return a >= b;
  }
  return false;
}

int merge_cond_eval(const merge_cond *c, const merge_env *E) {
  switch (c->kind) {
  case C_CONST: return c->value;
  case C_OR: {
    int a = merge_cond_eval(c->a, E);
    if (a != 0) return a;
    return merge_cond_eval(c->b, E);
  }
  case C_AND: {
    int a = merge_cond_eval(c->a, E);
    if (a != 1) return a;
    return merge_cond_eval(c->b, E);
  }
  case C_NOT: {
    int a = merge_cond_eval(c->a, E);
    return a < 0 ? a : !a;
  }
  case C_TRUTHY: {
    char *s = as_text(&c->lhs, E);
    if (!s) return -1;
    int r = s[0] != '\0';
    g_free(s);
    return r;
  }
  case C_CMP: {
    if (c->numeric) {
      double a, b;
      int ra = as_number(c, &c->lhs, E, &a);
      if (ra <= 0) return ra;
      int rb = as_number(c, &c->rhs, E, &b);
      if (rb <= 0) return rb;
      return compare(c->op, a, b);
    }
    char *a = as_text(&c->lhs, E);
    if (!a) return -1;
    char *b = as_text(&c->rhs, E);
    if (!b) {
      g_free(a);
      return -1;
    }
    /* an empty value satisfies no comparison, == or != */
    int r = a[0] && b[0] ? (strcmp(a, b) == 0) != (c->op == OP_NE) : 0;
    g_free(a);
    g_free(b);
    return r;
  }
  case C_RANGE: {
    double v;
    int r = as_number(c, &c->lhs, E, &v);
    if (r <= 0) return r;
    return v >= c->lo && (c->hi_open ? v < c->hi : v <= c->hi);
  }
  case C_LIST: {
    char *s = as_text(&c->lhs, E);
    if (!s) return -1;
    int r = 0;
    if (s[0]) {
      double v = 0;
      bool is_num = merge_parse_decimal(s, strlen(s), &v);
      for (size_t i = 0; i < c->nitems && !r; i++) {
        const operand *it = &c->items[i];
        if (it->kind == OPD_NUMBER)
          r = is_num && v == it->num;
        else
          r = strcmp(s, it->text) == 0;
      }
    }
    g_free(s);
    return r;
  }
  }
  return 0;
}
