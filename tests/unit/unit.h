/*
 * unit.h - the unit tests of the common library, one function a concern,
 * run in turn by unit.c.
 */
#ifndef LP_UNIT_H
#define LP_UNIT_H

/* unit_text.c */
void	test_ts(void);
void	test_json(void);
void	test_jw_num_canonical(void);
void	test_jw_str_long(void);
void	test_memmem_pair(void);
void	test_memmem_first(void);
void	test_jw(void);
void	test_ts_format_digits(void);
void	test_ts_more(void);
void	test_html(void);

/* unit_event.c */
void	test_event_roundtrip(void);
void	test_event_read(void);
void	test_attrs(void);
void	test_source(void);

/* unit_state.c */
void	test_map(void);
void	test_heap(void);
void	test_sketch(void);

#endif
