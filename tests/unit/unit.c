/*
 * unit.c - unit tests of the common library, where a table of cases says
 * more than a pipeline would: the text layer (unit_text.c), events
 * (unit_event.c), the state the filters keep (unit_state.c).  TAP
 * output; run by tests/01-unit.bats (and so under the sanitizers too).
 */
#include "tap.h"
#include "unit.h"

int
main(void)
{
	test_ts();
	test_html();
	test_json();
	test_jw();
	test_jw_str_long();
	test_memmem_pair();
	test_memmem_first();
	test_jw_num_canonical();
	test_event_roundtrip();
	test_event_read();
	test_attrs();
	test_source();
	test_map();
	test_heap();
	test_ts_more();
	test_sketch();
	test_ts_format_digits();
	return tap_done();
}
