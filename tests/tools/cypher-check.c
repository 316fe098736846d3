/*
 * cypher-check - a strict parser of the subset of Cypher that
 * `depgraph --format cypher` writes, for the tests (no Cypher parser is
 * packaged in Debian, and a test must not need a running Neo4j).
 *
 *	cypher-check [file]
 *
 * Reads statements, one a line, each ended by ';' ('//' comment lines
 * and blank lines allowed), and checks them against the openCypher
 * grammar (openCypher 9 reference, EBNF) restricted to:
 *
 *   statement := clause+ ';'
 *   clause    := MERGE pattern | MATCH pattern (',' pattern)*
 *                | CREATE pattern | SET item (',' item)*
 *   pattern   := node (rel node)*
 *   node      := '(' var? (':' name)* props? ')'
 *   rel       := '-' '[' var? ':' name props? ']' '-' '>'
 *                | '<' '-' '[' ... ']' '-'
 *   props     := '{' (key ':' literal (',' key ':' literal)*)? '}'
 *   item      := var '.' key '=' literal
 *   literal   := string | number | true | false | null
 *
 * and Neo4j's rules for them: a variable is bound once (a pattern that
 * names a bound variable may not give it labels or properties again), SET
 * names a bound variable, a MERGE pattern's property is never null (Neo4j
 * refuses to merge on null), a relationship in MERGE or CREATE has one
 * type and a direction.  Strings: single or double quoted, escapes \\ \'
 * \" \b \f \n \r \t \uXXXX \UXXXXXXXX only, valid UTF-8, no raw control
 * characters.  Keywords in any case; names are identifiers or
 * backquoted, not reserved words.  Exit 0 when every statement parses,
 * else 1 with "cypher-check: line N: what is wrong" for the first error.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

struct parser {
	const char	*s;		/* the line */
	size_t		 pos;
	long		 lineno;
	char		 vars[32][64];	/* bound variables */
	int		 nvars;
	bool		 merge;		/* inside a MERGE pattern */
	bool		 failed;
};

static void
fail(struct parser *p, const char *fmt, ...)
{
	va_list	 ap;

	if (p->failed)
		return;
	p->failed = true;
	fprintf(stderr, "cypher-check: line %ld: byte %zu: ", p->lineno,
	    p->pos + 1);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
ws(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

static bool
peek(struct parser *p, char c)
{
	ws(p);
	return p->s[p->pos] == c;
}

static bool
expect(struct parser *p, char c)
{
	if (!peek(p, c)) {
		fail(p, "expected '%c'", c);
		return false;
	}
	p->pos++;
	return true;
}

/* Whether the next word is the keyword kw (any case); consumes it. */
static bool
keyword(struct parser *p, const char *kw)
{
	size_t	 n = strlen(kw);

	ws(p);
	if (strncasecmp(p->s + p->pos, kw, n) != 0 ||
	    isalnum((unsigned char)p->s[p->pos + n]) || p->s[p->pos + n] == '_')
		return false;
	p->pos += n;
	return true;
}

static const char *const reserved[] = {
	"ALL", "ASC", "ASCENDING", "BY", "CREATE", "DELETE", "DESC",
	"DESCENDING", "DETACH", "EXISTS", "LIMIT", "MATCH", "MERGE", "ON",
	"OPTIONAL", "ORDER", "REMOVE", "RETURN", "SET", "SKIP", "WHERE",
	"WITH", "UNION", "UNWIND", "AND", "AS", "CONTAINS", "DISTINCT",
	"ENDS", "IN", "IS", "NOT", "OR", "STARTS", "XOR", "CASE", "ELSE",
	"END", "THEN", "WHEN", "NULL", "TRUE", "FALSE", "CALL", "YIELD",
};

/* A name: an identifier that is not a reserved word, or backquoted. */
static bool
name(struct parser *p, char *out, size_t outsz)
{
	size_t	 start, n, i;

	ws(p);
	start = p->pos;
	if (p->s[p->pos] == '`') {
		for (p->pos++; p->s[p->pos] != '`'; p->pos++)
			if (p->s[p->pos] == '\0') {
				fail(p, "unterminated backquoted name");
				return false;
			}
		p->pos++;
	} else {
		if (!isalpha((unsigned char)p->s[p->pos]) && p->s[p->pos] != '_') {
			fail(p, "expected a name");
			return false;
		}
		while (isalnum((unsigned char)p->s[p->pos]) ||
		    p->s[p->pos] == '_')
			p->pos++;
		for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
			if (strlen(reserved[i]) == p->pos - start &&
			    strncasecmp(reserved[i], p->s + start,
			    p->pos - start) == 0) {
				fail(p, "reserved word '%s' used as a name",
				    reserved[i]);
				return false;
			}
	}
	n = p->pos - start;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p->s + start, n);
	out[n] = '\0';
	return true;
}

static int
bound(struct parser *p, const char *v)
{
	int	 i;

	for (i = 0; i < p->nvars; i++)
		if (strcmp(p->vars[i], v) == 0)
			return i;
	return -1;
}

static void
bind(struct parser *p, const char *v)
{
	if (p->nvars == 32) {
		fail(p, "too many variables");
		return;
	}
	snprintf(p->vars[p->nvars++], sizeof(p->vars[0]), "%s", v);
}

static int
hexdigits(const char *s, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static bool
string(struct parser *p)
{
	char	 q = p->s[p->pos];
	size_t	 k;

	for (p->pos++; p->s[p->pos] != q; ) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '\0') {
			fail(p, "unterminated string");
			return false;
		}
		if (c < 0x20 || c == 0x7f) {
			fail(p, "raw control character in a string");
			return false;
		}
		if (c >= 0x80) {
			k = utf8_valid_seq((const unsigned char *)p->s + p->pos,
			    strlen(p->s + p->pos));
			if (k == 0) {
				fail(p, "invalid UTF-8 in a string");
				return false;
			}
			p->pos += k;
			continue;
		}
		if (c != '\\') {
			p->pos++;
			continue;
		}
		switch (p->s[p->pos + 1]) {
		case '\\': case '\'': case '"': case 'b': case 'f':
		case 'n': case 'r': case 't':
			p->pos += 2;
			break;
		case 'u':
			if (!hexdigits(p->s + p->pos + 2, 4)) {
				fail(p, "bad \\u escape");
				return false;
			}
			p->pos += 6;
			break;
		case 'U':
			if (!hexdigits(p->s + p->pos + 2, 8)) {
				fail(p, "bad \\U escape");
				return false;
			}
			p->pos += 10;
			break;
		default:
			fail(p, "bad escape '\\%c'", p->s[p->pos + 1]);
			return false;
		}
	}
	p->pos++;
	return true;
}

/* A number: integer or decimal, with exponent, optional minus. */
static bool
number(struct parser *p)
{
	const char	*s = p->s;
	size_t		 i = p->pos;

	if (s[i] == '-')
		i++;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		while (isdigit((unsigned char)s[i]))
			i++;
	else {
		fail(p, "expected a literal");
		return false;
	}
	if (s[i] == '.') {
		if (!isdigit((unsigned char)s[++i])) {
			fail(p, "bad decimal");
			return false;
		}
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		if (!isdigit((unsigned char)s[i])) {
			fail(p, "bad exponent");
			return false;
		}
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (isalnum((unsigned char)s[i]) || s[i] == '_') {
		p->pos = i;
		fail(p, "junk after a number");
		return false;
	}
	p->pos = i;
	return true;
}

/* A literal; *null says whether it was null. */
static bool
literal(struct parser *p, bool *null)
{
	*null = false;
	ws(p);
	if (p->s[p->pos] == '\'' || p->s[p->pos] == '"')
		return string(p);
	if (keyword(p, "true") || keyword(p, "false"))
		return true;
	if (keyword(p, "null")) {
		*null = true;
		return true;
	}
	return number(p);
}

static bool
props(struct parser *p)
{
	char	 key[64];
	bool	 null;

	if (!expect(p, '{'))
		return false;
	if (peek(p, '}'))
		return expect(p, '}');
	do {
		if (!name(p, key, sizeof(key)) || !expect(p, ':') ||
		    !literal(p, &null))
			return false;
		if (null && p->merge) {
			fail(p, "MERGE on a null property value ('%s')", key);
			return false;
		}
	} while (peek(p, ',') && expect(p, ','));
	return expect(p, '}');
}

/* '(' var? (':' label)* props? ')' */
static bool
node(struct parser *p, bool create)
{
	char	 var[64] = "", label[64];
	bool	 decorated = false;

	if (!expect(p, '('))
		return false;
	ws(p);
	if (p->s[p->pos] != ':' && p->s[p->pos] != '{' && p->s[p->pos] != ')' &&
	    !name(p, var, sizeof(var)))
		return false;
	while (peek(p, ':')) {
		p->pos++;
		if (!name(p, label, sizeof(label)))
			return false;
		decorated = true;
	}
	if (peek(p, '{')) {
		if (!props(p))
			return false;
		decorated = true;
	}
	if (var[0] != '\0' && bound(p, var) >= 0) {
		if (decorated && create) {
			fail(p, "variable '%s' already declared", var);
			return false;
		}
	} else if (var[0] != '\0') {
		if (!decorated && create) {
			/* MERGE (a) on an unbound a makes a node with no
			 * label, a new one every time */
			fail(p, "variable '%s' not defined", var);
			return false;
		}
		bind(p, var);
	}
	return expect(p, ')');
}

/* -[var:TYPE props]-> or <-[...]- */
static bool
rel(struct parser *p, bool create)
{
	char	 var[64] = "", type[64] = "";
	bool	 left = false, right = false;

	ws(p);
	if (p->s[p->pos] == '<') {
		left = true;
		p->pos++;
	}
	if (!expect(p, '-') || !expect(p, '['))
		return false;
	ws(p);
	if (p->s[p->pos] != ':' && !name(p, var, sizeof(var)))
		return false;
	if (peek(p, ':')) {
		p->pos++;
		if (!name(p, type, sizeof(type)))
			return false;
		if (peek(p, '|')) {
			fail(p, "several relationship types");
			return false;
		}
	}
	if (peek(p, '{') && !props(p))
		return false;
	if (!expect(p, ']') || !expect(p, '-'))
		return false;
	if (p->s[p->pos] == '>') {
		right = true;
		p->pos++;
	}
	if (create && (type[0] == '\0' || left == right)) {
		fail(p, "a relationship to create needs one type and one "
		    "direction");
		return false;
	}
	if (var[0] != '\0') {
		if (bound(p, var) >= 0) {
			fail(p, "variable '%s' already declared", var);
			return false;
		}
		bind(p, var);
	}
	return true;
}

static bool
pattern(struct parser *p, bool create)
{
	if (!node(p, create))
		return false;
	for (;;) {
		ws(p);
		if (p->s[p->pos] != '-' && p->s[p->pos] != '<')
			return true;
		if (!rel(p, create) || !node(p, create))
			return false;
	}
}

static bool
set_items(struct parser *p)
{
	char	 var[64], key[64];
	bool	 null;

	do {
		if (!name(p, var, sizeof(var)))
			return false;
		if (bound(p, var) < 0) {
			fail(p, "SET on '%s', which is not defined", var);
			return false;
		}
		if (!expect(p, '.') || !name(p, key, sizeof(key)) ||
		    !expect(p, '=') || !literal(p, &null))
			return false;
	} while (peek(p, ',') && expect(p, ','));
	return true;
}

static bool
statement(struct parser *p)
{
	int	 clauses = 0;
	bool	 ok;

	p->nvars = 0;
	for (;;) {
		ws(p);
		if (p->s[p->pos] == ';') {
			p->pos++;
			ws(p);
			if (p->s[p->pos] != '\0') {
				fail(p, "more after ';'");
				return false;
			}
			if (clauses == 0)
				fail(p, "empty statement");
			return clauses > 0;
		}
		if (keyword(p, "MERGE")) {
			p->merge = true;
			ok = pattern(p, true);
			p->merge = false;
			while (ok && keyword(p, "ON")) {
				if (!keyword(p, "CREATE") && !keyword(p, "MATCH")) {
					fail(p, "expected ON CREATE or ON MATCH");
					return false;
				}
				ok = keyword(p, "SET") ? set_items(p) :
				    (fail(p, "expected SET"), false);
			}
		} else if (keyword(p, "CREATE")) {
			ok = pattern(p, true);
		} else if (keyword(p, "MATCH")) {
			do
				ok = pattern(p, false);
			while (ok && peek(p, ',') && expect(p, ','));
		} else if (keyword(p, "SET")) {
			if (clauses == 0) {
				fail(p, "a statement cannot begin with SET");
				return false;
			}
			ok = set_items(p);
		} else {
			fail(p, clauses == 0 ? "expected a clause" :
			    "expected a clause or ';'");
			return false;
		}
		if (!ok)
			return false;
		clauses++;
	}
}

int
main(int argc, char *argv[])
{
	FILE		*fp = stdin;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	struct parser	 p;
	long		 statements = 0;
	int		 status = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: cypher-check [file]\n");
		return 2;
	}
	if (argc == 2 && (fp = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	memset(&p, 0, sizeof(p));
	while ((n = getline(&line, &cap, fp)) != -1) {
		p.lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (strlen(line) != (size_t)n) {
			fprintf(stderr, "cypher-check: line %ld: a NUL byte\n",
			    p.lineno);
			status = 1;
			break;
		}
		p.s = line;
		p.pos = 0;
		ws(&p);
		if (line[p.pos] == '\0' || strncmp(line + p.pos, "//", 2) == 0)
			continue;
		if (!statement(&p)) {
			status = 1;
			break;
		}
		statements++;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	if (status == 0)
		printf("cypher-check: %ld statements\n", statements);
	return status;
}
