-- 0006: facilitators approve detected themes before collectives are formed around them.
ALTER TABLE themes ADD COLUMN approved_at timestamptz;
ALTER TABLE themes ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
