-- 0005: a placemat's indicators keep the order the collective wrote them in.
ALTER TABLE indicators ADD COLUMN position integer NOT NULL DEFAULT 0 CHECK (position >= 0);
