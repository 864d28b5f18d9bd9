-- A result a speculative twin of its batch ran (TailTwins) and reported first, marked for the timeline.
ALTER TABLE TEST_RESULT ADD COLUMN TWIN BOOLEAN;
