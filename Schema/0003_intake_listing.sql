-- 0003: intake listings page a cycle's survey responses by id (time-ordered), so the
-- cycle's responses need an index in that order; the unique key on
-- (tenant_id, cycle_id, participant_id) only serves re-sent responses.
CREATE INDEX survey_responses_by_cycle ON survey_responses (tenant_id, cycle_id, id);
