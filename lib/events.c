/*
 * `kubectl get events -o json` and its kin: Event objects decoded into
 * records, pretty-printed event documents followed over many lines
 * (brace tracking, items cut at the line limit, resynchronising), and
 * compact lists longer than a record walked item by item with the same
 * brace tracking.  jansson cannot stream here: json_load_callback() pulls
 * its input and builds the whole list, and the scanner is pushed chunks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reader.h"

/* kubectl's pretty printer indents each level by this much. */
#define KUBECTL_INDENT 4

void
events_drop(reader *rd)
{
	json_decref(rd->root);
	rd->root = NULL;
	rd->items = NULL;
	rd->item_idx = 0;
}

void
doc_fail(reader *rd, uint64_t line, int col, const char *fmt, ...)
{
	va_list ap;

	if (rd->doc_error)
		return; /* one report per problem is enough */
	rd->doc_error = 1;
	rd->err_line = (int)line;
	rd->err_col = col;
	va_start(ap, fmt);
	vsnprintf(rd->err_text, sizeof(rd->err_text), fmt, ap);
	va_end(ap);
}

/* One core/v1 or events.k8s.io/v1 Event. */
int
event_record(json_t *ev, record *rec)
{
	json_t *obj = json_object_get(ev, "involvedObject"), *c;
	slice msg = jstr(ev, "message"), type = jstr(ev, "type"), kind;
	json_t *series = json_object_get(ev, "series");
	static const char *const ts_keys[] = { "lastTimestamp", "eventTime",
					       "deprecatedLastTimestamp",
					       "firstTimestamp", NULL };
	int i;

	if (!msg.p)
		msg = jstr(ev, "note");
	if (!obj)
		obj = json_object_get(ev, "regarding");
	if (!msg.p || !json_is_object(obj))
		return 0;
	rec->msg = rec->text = msg;
	kind = jstr(obj, "kind");
	if (is(kind, "Pod"))
		rec->pod = jstr(obj, "name");
	rec->namespace = jstr(obj, "namespace");
	if (!rec->namespace.p)
		rec->namespace = jstr(json_object_get(ev, "metadata"),
				      "namespace");
	rec->level = is(type, "Warning") ? "warn" : is(type, "Normal") ? "info"
									: NULL;
	c = json_object_get(ev, "count");
	if (!json_is_integer(c) && json_is_object(series))
		c = json_object_get(series, "count");
	if (!json_is_integer(c))
		c = json_object_get(ev, "deprecatedCount");
	rec->count = json_is_integer(c) && json_integer_value(c) > 0
			     ? (uint64_t)json_integer_value(c)
			     : 1;
	if (json_is_object(series) && jstr(series, "lastObservedTime").p)
		rec->timestamp = jstr(series, "lastObservedTime");
	for (i = 0; ts_keys[i] && !rec->timestamp.p; i++)
		rec->timestamp = jstr(ev, ts_keys[i]);
	return 1;
}

int
is_event_list(json_t *o)
{
	return json_is_array(json_object_get(o, "items"));
}
/* --- pretty-printed JSON documents over many lines --------------------- */

/* A line that is only "{" opens a document. */
int
doc_opens(const char *p, size_t n)
{
	size_t i, braces = 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '{')
			braces++;
		else if (p[i] != ' ' && p[i] != '\t')
			return 0;
	}
	return braces == 1;
}

/* Walk @p from *at: 1 when an item closed there (*at is past its end; it
 * is in rd->item), 0 at the end of @p, 3 (with @probe) before an item
 * opens.  An item is an object directly inside an array directly inside
 * the top object ({"items": [ {...}, ... ]}).  What of an open item @p
 * holds is kept in rd->item, up to max_item bytes. */
static int
doc_walk(reader *rd, const char *p, size_t n, size_t *at, int probe)
{
	size_t i, from = *at;     /* where the open item's bytes start */

	for (i = *at; i < n; i++) {
		char ch = p[i];
		if (rd->doc_in_str) {
			if (rd->doc_esc)
				rd->doc_esc = 0;
			else if (ch == '\\')
				rd->doc_esc = 1;
			else if (ch == '"')
				rd->doc_in_str = 0;
			continue;
		}
		if (ch == '"') {
			rd->doc_in_str = 1;
		} else if (ch == '{' || ch == '[') {
			if (rd->doc_depth == 2 && ch == '{' &&
			    rd->doc_stack[0] == '{' && rd->doc_stack[1] == '[') {
				size_t k = 0;
				if (probe) {
					*at = i;
					return 3;
				}
				rd->item_open = 1;
				rd->item_oversized = 0;
				rd->item.len = 0;
				rd->item_line = rd->walk_line;
				from = i;
				while (k < i && (p[k] == ' ' || p[k] == '\t'))
					k++;
				rd->item_indent = k == i ? (int)i : -1;
			}
			if (rd->doc_depth < MAX_DOC_DEPTH)
				rd->doc_stack[rd->doc_depth] = ch;
			rd->doc_depth++;
		} else if (ch == '}' || ch == ']') {
			rd->doc_depth--;
			if (rd->doc_depth == 2 && rd->item_open) {
				rd->item_open = 0;
				*at = i + 1;
				if (rd->item_oversized ||
				    rd->item.len + (i + 1 - from) > rd->max_item) {
					rd->item_oversized = 1;
					return 1;
				}
				return buf_add(&rd->item, p + from, i + 1 - from) < 0
					       ? -1
					       : 1;
			}
			if (rd->doc_depth <= 0) {
				rd->in_doc = 0;
				rd->doc_closed = 1;
				*at = n;
				return 0;
			}
		}
	}
	*at = n;
	if (rd->item_open && !rd->item_oversized) {
		if (rd->item.len + (n - from) > rd->max_item)
			rd->item_oversized = 1;
		else if (buf_add(&rd->item, p + from, n - from) < 0)
			return -1;
	}
	return 0;
}

/* Walk one line of the document: 1 when it closed an item. */
int
doc_line(reader *rd, const char *p, size_t n, uint64_t line_no)
{
	size_t at = 0;
	int rc;

	/* JSON strings cannot hold a raw newline, so each line starts
	 * outside one: a broken quote spoils one line, not the rest. */
	rd->doc_in_str = rd->doc_esc = 0;
	rd->walk_line = line_no;
	rc = doc_walk(rd, p, n, &at, 0);
	if (rc == 0 && rd->item_open && !rd->item_oversized &&
	    buf_add(&rd->item, "\n", 1) < 0)
		return -1;
	return rc;
}

/* An item closed: decode it as an event. */
int
doc_item(reader *rd, record *rec)
{
	json_error_t jerr;

	if (rd->item_oversized) {
		doc_fail(rd, rd->item_line, 1,
			 "event longer than %zu bytes in the JSON document; skipped",
			 rd->max_item);
		return 0;
	}
	events_drop(rd);
	rd->root = jsonline_loadb(rd->item.data, rd->item.len, 0, &jerr);
	if (!rd->root && json_error_code(&jerr) == json_error_out_of_memory)
		return -1;
	if (!rd->root) {
		doc_fail(rd, rd->item_line + (uint64_t)jerr.line - 1,
			 jerr.column, "malformed event in the JSON document: %s",
			 jerr.text);
		return 0;
	}
	return event_record(rd->root, rec);
}

/* After a cut line inside an item the brace count is lost; kubectl's
 * pretty printer closes the item with "}" or "}," at the indentation it
 * opened it with, so wait for that line, and the document's own "}" at
 * the left margin ends it if the item's never comes. */
int
doc_resync(reader *rd, const char *p, size_t n, uint64_t line_no,
	   record *rec)
{
	size_t k = 0;
	int rc;

	while (k < n && (p[k] == ' ' || p[k] == '\t'))
		k++;
	if (rd->item_indent >= 0 && k == (size_t)rd->item_indent &&
	    (n - k == 1 || (n - k == 2 && p[k + 1] == ',')) && p[k] == '}') {
		rd->resync = 0;
		rd->item_open = 0;
		rd->doc_depth = 2;
		rc = doc_item(rd, rec);
		if (rc < 0)
			return -1;
		rd->have_line_rec = rc;
		rd->items_line = rd->item_line;
	} else if (rd->item_indent >= 0 && k < n &&
		   ((k == (size_t)rd->item_indent && p[k] == '{') ||
		    (k + KUBECTL_INDENT == (size_t)rd->item_indent &&
		     p[k] == ']'))) {
		/* The next item, or the end of the list: the cut item
		 * ended on its own line.  Report it, read this one. */
		rd->resync = 0;
		rd->item_open = 0;
		rd->doc_depth = 2;
		if (doc_item(rd, rec) < 0)
			return -1;
		return doc_line(rd, p, n, line_no) < 0 ? -1 : 0;
	} else if (k == 0 && n == 1 && p[0] == '}') {
		rd->resync = 0;
		rd->in_doc = 0;
		doc_fail(rd, rd->item_line, 1,
			 "event cut at the line length limit; the document's end came before the event's");
	}
	return 0;
}

/* --- compact documents longer than a record ------------------------------ */

int
reader_stream(reader *rd, const char *p, size_t n, uint64_t line_no,
	      int last)
{
	size_t at = 0;

	if (!rd->streaming) {
		/* Only a list whose first item opens within a record's
		 * length; any other long line is cut as before. */
		if (!n || p[0] != '{' || rd->in_doc)
			return 0;
		rd->doc_depth = rd->doc_in_str = rd->doc_esc = 0;
		rd->item_open = rd->doc_closed = 0;
		rd->walk_line = line_no;
		if (doc_walk(rd, p, n < rd->max_item ? n : rd->max_item, &at,
			     1) != 3)
			return 0;
		rd->streaming = rd->in_doc = 1;
		rd->items_line = line_no;
	}
	rd->seg = p;
	rd->seg_n = n;
	rd->seg_at = at;
	rd->seg_last = last;
	return 1;
}

/* The next event of the streamed list's current part: 1 with it in @rec,
 * 0 when the part is used up (or an error waits to be reported), -1 on
 * no memory. */
int
stream_next(reader *rd, record *rec)
{
	int rc;

	while (rd->seg_at < rd->seg_n && rd->in_doc && !rd->doc_error) {
		rc = doc_walk(rd, rd->seg, rd->seg_n, &rd->seg_at, 0);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			memset(rec, 0, sizeof(*rec));
			rec->count = 1;
			rc = doc_item(rd, rec);
			if (rc != 0)
				return rc;
		}
	}
	if (rd->doc_error || !rd->seg_last ||
	    (rd->seg_at < rd->seg_n && rd->in_doc))
		return 0;
	if (rd->in_doc)
		doc_fail(rd, rd->walk_line, 1,
			 "JSON document on this line (longer than %zu bytes) not closed at the end of the line",
			 rd->max_item);
	rd->streaming = rd->in_doc = 0;
	rd->seg_n = rd->seg_at = 0;
	return 0;
}
