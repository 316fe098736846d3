/*
 * ceiling.cpp - what parsing and matching alone cost: the ceiling that
 * lognorm's throughput is measured against in `make bench`.  Not a tool
 * and not linked into any command; C++ because simdjson is.
 *
 *   ceiling RULES < input
 *
 * Reads the whole standard input, then for each line: a JSON object is
 * parsed with simdjson's on-demand API and every member is visited (keys
 * compared, string values unescaped, numbers converted), as a normalizer
 * must; any other line is tried against the text patterns of the rule
 * file RULES ("text = ..." lines: lognorm's built-in rules), in the
 * file's order, JIT-compiled with PCRE2, until one matches.  No output,
 * no event, no timestamp: only the parse and the match.  Prints on
 * standard error the lines, JSON objects, text lines matched and the
 * rest, so that a run that did not do the work shows it.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <simdjson.h>

using namespace simdjson;

static std::vector<pcre2_code *>
load_patterns(const char *path)
{
	std::ifstream	 in(path);
	std::string	 line;
	std::vector<pcre2_code *> res;

	while (std::getline(in, line)) {
		if (line.compare(0, 7, "text = ") != 0)
			continue;
		int		 err;
		PCRE2_SIZE	 off;
		pcre2_code	*re = pcre2_compile((PCRE2_SPTR)line.c_str() + 7,
		    PCRE2_ZERO_TERMINATED, 0, &err, &off, nullptr);
		if (re == nullptr) {
			fprintf(stderr, "ceiling: bad pattern: %s\n", line.c_str());
			exit(2);
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		res.push_back(re);
	}
	return res;
}

/* Parse one JSON line and visit every member; false if it is not an
 * object or not valid. */
static bool
json_line(ondemand::parser &parser, const char *p, size_t n, size_t cap,
    unsigned long *members, double *sum)
{
	padded_string_view	 v(p, n, cap);
	ondemand::document	 doc;
	ondemand::object	 obj;

	if (parser.iterate(v).get(doc) || doc.get_object().get(obj))
		return false;
	for (auto field : obj) {
		std::string_view	 key, s;
		ondemand::json_type	 t;
		double			 d;
		bool			 b;

		if (field.unescaped_key().get(key))
			return false;
		*members += key.size() == 6;
		ondemand::value val = field.value();
		if (val.type().get(t))
			return false;
		switch (t) {
		case ondemand::json_type::string:
			if (val.get_string().get(s))
				return false;
			*members += s.size();
			break;
		case ondemand::json_type::number:
			if (val.get_double().get(d))
				return false;
			*sum += d;
			break;
		case ondemand::json_type::boolean:
			if (val.get_bool().get(b))
				return false;
			*members += b;
			break;
		default:
			/* null; containers are skipped (validated) by the
			 * iteration */
			break;
		}
	}
	return true;
}

/* Try the patterns in order; whether one matches. */
static bool
text_line(const std::vector<pcre2_code *> &res, pcre2_match_data *md,
    const char *p, size_t n)
{
	for (pcre2_code *re : res)
		if (pcre2_jit_match(re, (PCRE2_SPTR)p, n, 0, 0, md,
		    nullptr) >= 0)
			return true;
	return false;
}

int
main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: ceiling rules < input\n");
		return 2;
	}
	std::vector<pcre2_code *> res = load_patterns(argv[1]);
	pcre2_match_data *md = pcre2_match_data_create(64, nullptr);

	/* Input through one buffer, as a filter reads it: whole lines are
	 * handled, the rest moves to the front; simdjson's padding after. */
	const size_t	 chunk = 1 << 22;
	std::vector<char> buf(2 * chunk + SIMDJSON_PADDING);
	size_t		 have = 0;
	ondemand::parser parser;
	unsigned long	 lines = 0, objects = 0, matched = 0, other = 0;
	unsigned long	 members = 0;
	double		 sum = 0;
	bool		 eof = false;

	while (!eof || have > 0) {
		if (!eof) {
			if (buf.size() < have + chunk + SIMDJSON_PADDING)
				buf.resize(2 * (have + chunk) + SIMDJSON_PADDING);
			size_t n = fread(buf.data() + have, 1, chunk, stdin);
			if (n == 0)
				eof = true;
			have += n;
		}
		memset(buf.data() + have, 0, SIMDJSON_PADDING);
		const char *p = buf.data(), *e = p + have;
		for (;;) {
			const char *nl = (const char *)memchr(p, '\n',
			    (size_t)(e - p));
			if (nl == nullptr && !(eof && p < e))
				break;
			size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
			lines++;
			if (n > 0 && *p == '{') {
				if (json_line(parser, p, n,
				    (size_t)(buf.data() + buf.size() - p),
				    &members, &sum))
					objects++;
				else
					other++;
			} else if (text_line(res, md, p, n))
				matched++;
			else
				other++;
			p += n + (nl != nullptr);
			if (nl == nullptr)
				break;
		}
		have = (size_t)(e - p);
		memmove(buf.data(), p, have);
	}
	fprintf(stderr, "ceiling: %lu lines, %lu JSON objects, %lu text lines "
	    "matched, %lu other (%lu, %g)\n", lines, objects, matched, other,
	    members, sum);
	return 0;
}
