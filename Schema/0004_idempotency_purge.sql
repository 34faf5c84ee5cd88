-- 0004: idempotency keys expire after 24 hours. Lookups ignore expired rows; this lets
-- the API purge them across tenants in operator scope, which may delete expired rows
-- and nothing else. (A DELETE without a WHERE clause needs no SELECT policy, so
-- operator scope still cannot read any tenant's stored answers.)
CREATE POLICY expired_purge ON idempotency_keys FOR DELETE
    USING (ilc_operator_scope() AND expires_at <= now());
