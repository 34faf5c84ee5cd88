-- 0007: an operator can give one tenant its own API rate limit (requests per second;
-- 0 = unlimited). NULL: the server's default (ILC_RATE_LIMIT).
ALTER TABLE tenants ADD COLUMN rate_limit integer CHECK (rate_limit >= 0);
