#!lua name=ilc_api
--[[
Per-tenant request limits of the partner API: a fixed window per tenant that opens
with its first request. One key per tenant, hash-tagged by tenant, so a Redis Cluster
spreads tenants across slots. Also the counts of failed key checks per API key and per
client address, which stop online guessing of keys (AuthenticationThrottle).
]]

-- rate(key; limit, window_ms) -> {1, 0} allowed, or {0, ms until the window reopens}
local function rate(keys, args)
  local limit, window = tonumber(args[1]), tonumber(args[2])
  local count = redis.call('INCR', keys[1])
  if count == 1 then redis.call('PEXPIRE', keys[1], window) end
  if count <= limit then return {1, 0} end
  local left = redis.call('PTTL', keys[1])
  if left < 0 then
    -- A key left without expiry (should not happen): reopen it now.
    redis.call('PEXPIRE', keys[1], window)
    left = window
  end
  return {0, left}
end

-- failed(key; window_ms) -> {failures so far, ms until they are forgotten}: counts one
-- failed check (of a key, or from a client), in a window that opens with the first failure.
local function failed(keys, args)
  local count = redis.call('INCR', keys[1])
  if count == 1 then redis.call('PEXPIRE', keys[1], tonumber(args[1])) end
  return {count, redis.call('PTTL', keys[1])}
end

-- failures(key) -> {failures so far, ms until they are forgotten}
local function failures(keys)
  local count = tonumber(redis.call('GET', keys[1]) or '0')
  return {count, redis.call('PTTL', keys[1])}
end

redis.register_function('ilc_rate', rate)
redis.register_function('ilc_key_failed', failed)
redis.register_function{function_name = 'ilc_key_failures', callback = failures, flags = {'no-writes'}}
