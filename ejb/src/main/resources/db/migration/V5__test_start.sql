-- When each test (and each earlier attempt of one) started, for the timeline of an evaluation: its TEST_STARTED's
-- arrival, else its result's arrival less its duration; null for a result the coordinator made itself.
ALTER TABLE TEST_RESULT ADD COLUMN STARTEDAT TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE TEST_ATTEMPT ADD COLUMN STARTEDAT TIMESTAMP(6) WITH TIME ZONE;
