-- 0019: one index fewer to maintain on every intake row. A participant's one response per
-- cycle is now kept unique by an index that leads with (tenant_id, participant_id), so the
-- same index serves the foreign key to participants (cascaded deletes) and the separate
-- survey_responses_by_participant index (0010) goes. ON CONFLICT names the same columns,
-- in any order.
ALTER TABLE survey_responses
    ADD CONSTRAINT survey_responses_one_per_participant_and_cycle UNIQUE (tenant_id, participant_id, cycle_id);
ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_tenant_id_cycle_id_participant_id_key;
DROP INDEX survey_responses_by_participant;
