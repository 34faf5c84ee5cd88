-- 0018: how often a job was put back uncharged because PostgreSQL went out of reach
-- while it ran. Past the queue's limit such a run counts as an attempt, so a job whose
-- own work takes the database down (a statement that crashes its backend) ends failed
-- instead of looping forever. Old workers never write it; the default fits them.
ALTER TABLE jobs ADD COLUMN outage_put_backs integer NOT NULL DEFAULT 0;
