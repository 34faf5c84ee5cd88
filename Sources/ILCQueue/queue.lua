#!lua name=ilc_queue
--[[
The dispatch index of one queue. PostgreSQL holds the truth about every job; this
library only decides who runs next. Every key starts with KEYS[1], a prefix with a
hash tag such as "{ilc:default}", so one Redis Cluster slot holds the whole queue.

  <p>:epoch          id of this Redis data set; missing means Redis lost its data
  <p>:seq            counter that keeps FIFO order within a priority
  <p>:jobs           hash job -> "tenant|priority": every job Redis knows (pushes are idempotent)
  <p>:ready:<tenant> zset job -> order (higher priority first, then FIFO)
  <p>:delayed        zset job -> due time (ms)
  <p>:active         zset tenant -> pass, tenants with ready jobs (stride scheduling)
  <p>:pass           hash tenant -> pass when it last went idle
  <p>:vtime          virtual time: the pass of the last tenant served
  <p>:weight, :cap   hash tenant -> weight (default 1), in-flight cap (default none)
  <p>:inflight       hash tenant -> jobs leased and not yet acknowledged
  <p>:leases         zset job -> lease deadline (ms)
  <p>:owner          hash job -> "worker|tenant" of the lease
  <p>:marker         zset with one member; idle workers block on it with BZPOPMIN
]]

local STRIDE = 1000000
local PRIORITY_SPAN = 17592186044416 -- 2^44: room for FIFO sequence numbers

local function split(value)
  local sep = string.find(value, '|', 1, true)
  return string.sub(value, 1, sep - 1), string.sub(value, sep + 1)
end

local function wake(p)
  redis.call('ZADD', p .. ':marker', 0, 'wake')
end

local function make_ready(p, tenant, job, priority)
  local seq = redis.call('INCR', p .. ':seq')
  redis.call('ZADD', p .. ':ready:' .. tenant, (100 - priority) * PRIORITY_SPAN + seq, job)
  if not redis.call('ZSCORE', p .. ':active', tenant) then
    -- A tenant returning from idle rejoins at the current virtual time: no credit
    -- for having been away, no penalty either.
    local pass = tonumber(redis.call('HGET', p .. ':pass', tenant) or '0')
    local vtime = tonumber(redis.call('GET', p .. ':vtime') or '0')
    if vtime > pass then pass = vtime end
    redis.call('ZADD', p .. ':active', pass, tenant)
  end
end

-- Forgets a job's lease, giving its tenant's in-flight slot back.
local function drop_lease(p, job)
  local owner = redis.call('HGET', p .. ':owner', job)
  if owner then
    local _, tenant = split(owner)
    if redis.call('HINCRBY', p .. ':inflight', tenant, -1) <= 0 then
      redis.call('HDEL', p .. ':inflight', tenant)
    end
    redis.call('HDEL', p .. ':owner', job)
    redis.call('ZREM', p .. ':leases', job)
    return true
  end
  return false
end

-- push(p; now_ms, [job, tenant, priority, due_ms]...) -> number of jobs new to Redis
local function push(keys, args)
  local p = keys[1]
  local now = tonumber(args[1])
  local added = 0
  for i = 2, #args, 4 do
    local job, tenant, priority, due = args[i], args[i + 1], tonumber(args[i + 2]), tonumber(args[i + 3])
    if redis.call('HSETNX', p .. ':jobs', job, tenant .. '|' .. priority) == 1 then
      added = added + 1
      if due > now then
        redis.call('ZADD', p .. ':delayed', due, job)
      else
        make_ready(p, tenant, job, priority)
      end
    end
  end
  if added > 0 then wake(p) end
  return added
end

local function promote_due(p, now, limit)
  local due = redis.call('ZRANGE', p .. ':delayed', '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
  for _, job in ipairs(due) do
    redis.call('ZREM', p .. ':delayed', job)
    local info = redis.call('HGET', p .. ':jobs', job)
    if info then
      local tenant, priority = split(info)
      make_ready(p, tenant, job, tonumber(priority))
    end
  end
end

-- The tenant to serve next: lowest pass among tenants under their cap; when every
-- waiting tenant is at its cap, the lowest pass anyway (idle capacity is not wasted).
local function next_tenant(p, capped)
  if not capped then
    local first = redis.call('ZRANGE', p .. ':active', 0, 0, 'WITHSCORES')
    return first[1], tonumber(first[2])
  end
  local all = redis.call('ZRANGE', p .. ':active', 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local tenant = all[i]
    local cap = redis.call('HGET', p .. ':cap', tenant)
    if not cap or tonumber(redis.call('HGET', p .. ':inflight', tenant) or '0') < tonumber(cap) then
      return tenant, tonumber(all[i + 1])
    end
  end
  return all[1], tonumber(all[2])
end

-- fetch(p; now_ms, worker, lease_ms, max) -> {next_due_ms or -1, job, tenant, job, tenant, ...}
local function fetch(keys, args)
  local p = keys[1]
  local now, worker, lease, max = tonumber(args[1]), args[2], tonumber(args[3]), tonumber(args[4])
  promote_due(p, now, max * 4 + 16)
  local capped = redis.call('HLEN', p .. ':cap') > 0
  local out = {-1}
  local vtime = nil
  while #out < max * 2 + 1 do
    local tenant, pass = next_tenant(p, capped)
    if not tenant then break end
    local ready = p .. ':ready:' .. tenant
    local popped = redis.call('ZPOPMIN', ready)
    if #popped == 0 then
      redis.call('ZREM', p .. ':active', tenant)
    else
      local job = popped[1]
      local weight = tonumber(redis.call('HGET', p .. ':weight', tenant) or '1')
      local next_pass = pass + STRIDE / weight
      vtime = pass
      if redis.call('ZCARD', ready) == 0 then
        redis.call('ZREM', p .. ':active', tenant)
        redis.call('HSET', p .. ':pass', tenant, next_pass)
      else
        redis.call('ZADD', p .. ':active', next_pass, tenant)
      end
      redis.call('HINCRBY', p .. ':inflight', tenant, 1)
      redis.call('ZADD', p .. ':leases', now + lease, job)
      redis.call('HSET', p .. ':owner', job, worker .. '|' .. tenant)
      out[#out + 1] = job
      out[#out + 1] = tenant
    end
  end
  if vtime then redis.call('SET', p .. ':vtime', vtime) end
  -- More work waits: wake the next idle worker too.
  if redis.call('ZCARD', p .. ':active') > 0 then wake(p) end
  local first_due = redis.call('ZRANGE', p .. ':delayed', 0, 0, 'WITHSCORES')
  if first_due[2] then out[1] = tonumber(first_due[2]) end
  return out
end

-- ack(p; job...) -> jobs forgotten. The job is finished, claimed by someone else or
-- gone from PostgreSQL: Redis no longer tracks it.
local function ack(keys, args)
  local p = keys[1]
  local count = 0
  for _, job in ipairs(args) do
    drop_lease(p, job)
    count = count + redis.call('HDEL', p .. ':jobs', job)
  end
  return count
end

-- requeue(p; now_ms, [job, tenant, priority, due_ms]...) -> jobs requeued.
-- For retries, released leases and reaped jobs: the lease ends and the job waits again.
local function requeue(keys, args)
  local p = keys[1]
  for i = 2, #args, 4 do
    drop_lease(p, args[i])
    redis.call('HDEL', p .. ':jobs', args[i])
  end
  return push(keys, args)
end

-- extend(p; now_ms, lease_ms, worker, job...) -> jobs whose lease this worker no longer holds
local function extend(keys, args)
  local p = keys[1]
  local deadline = tonumber(args[1]) + tonumber(args[2])
  local worker = args[3]
  local lost = {}
  for i = 4, #args do
    local owner = redis.call('HGET', p .. ':owner', args[i])
    if owner and split(owner) == worker then
      redis.call('ZADD', p .. ':leases', 'XX', deadline, args[i])
    else
      lost[#lost + 1] = args[i]
    end
  end
  return lost
end

-- expire(p; now_ms, limit) -> jobs whose lease deadline passed. Their slots are
-- given back and Redis forgets them; PostgreSQL's reaper decides what happens next.
local function expire(keys, args)
  local p = keys[1]
  local expired = redis.call('ZRANGE', p .. ':leases', '-inf', tonumber(args[1]), 'BYSCORE', 'LIMIT', 0, tonumber(args[2]))
  for _, job in ipairs(expired) do
    drop_lease(p, job)
    redis.call('HDEL', p .. ':jobs', job)
  end
  return expired
end

-- known(p; job...) -> for each job 1 when Redis tracks it, else 0 (for the sweeper)
local function known(keys, args)
  local p = keys[1]
  local out = {}
  for i, job in ipairs(args) do
    out[i] = redis.call('HEXISTS', p .. ':jobs', job)
  end
  return out
end

-- settings(p; [tenant, weight, cap (0 = none)]...) -> tenants updated
local function settings(keys, args)
  local p = keys[1]
  for i = 1, #args, 3 do
    local tenant, weight, cap = args[i], tonumber(args[i + 1]), tonumber(args[i + 2])
    if weight == 1 then redis.call('HDEL', p .. ':weight', tenant) else redis.call('HSET', p .. ':weight', tenant, weight) end
    if cap > 0 then redis.call('HSET', p .. ':cap', tenant, cap) else redis.call('HDEL', p .. ':cap', tenant) end
  end
  return #args / 3
end

-- epoch(p; candidate) -> {epoch, 1 when it was just created (Redis had lost the queue)}
local function epoch(keys, args)
  local p = keys[1]
  local current = redis.call('GET', p .. ':epoch')
  if current then return {current, 0} end
  redis.call('SET', p .. ':epoch', args[1])
  return {args[1], 1}
end

-- depth(p) -> {tenant, ready, inflight, ...} for metrics
local function depth(keys, args)
  local p = keys[1]
  local out = {}
  local seen = {}
  for _, tenant in ipairs(redis.call('ZRANGE', p .. ':active', 0, -1)) do
    seen[tenant] = true
    out[#out + 1] = tenant
    out[#out + 1] = redis.call('ZCARD', p .. ':ready:' .. tenant)
    out[#out + 1] = tonumber(redis.call('HGET', p .. ':inflight', tenant) or '0')
  end
  local inflight = redis.call('HGETALL', p .. ':inflight')
  for i = 1, #inflight, 2 do
    if not seen[inflight[i]] then
      out[#out + 1] = inflight[i]
      out[#out + 1] = 0
      out[#out + 1] = tonumber(inflight[i + 1])
    end
  end
  return out
end

redis.register_function('ilc_push', push)
redis.register_function('ilc_fetch', fetch)
redis.register_function('ilc_ack', ack)
redis.register_function('ilc_requeue', requeue)
redis.register_function('ilc_extend', extend)
redis.register_function('ilc_expire', expire)
redis.register_function('ilc_known', known)
redis.register_function('ilc_settings', settings)
redis.register_function('ilc_epoch', epoch)
redis.register_function{function_name = 'ilc_depth', callback = depth, flags = {'no-writes'}}
