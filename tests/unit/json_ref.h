/*
 * json_ref.h - the reference JSON tokenizer of the tests (json_ref.c).
 */
#ifndef LP_JSON_REF_H
#define LP_JSON_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

/* jdoc_parse() as it was before it was made faster: the same contract. */
bool	jref_parse(struct jdoc *d, const char *s, size_t n);

#endif
