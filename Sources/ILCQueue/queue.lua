#!lua name=ilc_queue
--[[
The dispatch index of one queue. PostgreSQL holds the truth about every job (state,
lease, attempts); this library only decides who runs next, so it keeps as little per
job as it can: a job is one member of a sorted set while it waits, and nothing once
dispatched. Work is done per tenant, not per job, wherever possible.

Every key starts with KEYS[1], a prefix with a hash tag such as "{ilc:noop}", so one
Redis Cluster slot holds the whole queue.

  <p>:epoch          id of this Redis data set; missing means Redis lost its data
  <p>:seq            counter that keeps FIFO order within a priority
  <p>:ready:<tenant> zset job -> order (higher priority first, then FIFO)
  <p>:delayed        zset "tenant|priority|job" -> due time (ms)
  <p>:active         zset tenant -> pass, the tenants with ready jobs (stride scheduling)
  <p>:pass           hash tenant -> pass when it last went idle (deleted tenants'
                     entries go at the full sweep)
  <p>:vtime          virtual time: the pass of the last tenant served
  <p>:weight, :cap   hash tenant -> weight (default 1), in-flight cap (default none)
  <p>:inflight       hash tenant -> jobs dispatched and not finished (capped tenants only)
  <p>:leased         zset "tenant|job" -> lease deadline (ms): jobs dispatched and not
                     finished. The reaper asks PostgreSQL about the due ones; keeping
                     this index here keeps PostgreSQL's job updates index-free (HOT).
  <p>:marker         zset with one member; idle workers block on it with BZPOPMIN
  <p>:sweep          hash: how far the sweeper got (checked_until, last_full,
                     unfinished_since, last_complete; ms),
                     shared by the queue's workers (written by the Swift side)
  <p>:maintenance    the worker whose maintenance turn it is; expires after the
                     interval (written by the Swift side)

Pushing a job that is already waiting changes nothing (ZADD NX). A job dispatched twice
anyway (pushed again while running) is harmless: PostgreSQL lets only one claim win.
A lease ends (and gives its tenant's slot back) only once, however often it is ended.
]]

local STRIDE = 1000000
local PRIORITY_SPAN = 17592186044416 -- 2^44: room for FIFO sequence numbers
local CHUNK = 2000                   -- arguments per call, well under Lua's stack limit

local function split3(value)
  local first = string.find(value, '|', 1, true)
  local second = string.find(value, '|', first + 1, true)
  return string.sub(value, 1, first - 1), string.sub(value, first + 1, second - 1), string.sub(value, second + 1)
end

local function lease_member(tenant, job)
  return tenant .. '|' .. job
end

local function tenant_of(member)
  return string.sub(member, 1, string.find(member, '|', 1, true) - 1)
end

local function wake(p)
  redis.call('ZADD', p .. ':marker', 0, 'wake')
end

-- ZADD with many score/member pairs, in chunks; returns how many were new.
local function zadd_many(key, flag, pairs_list)
  local added = 0
  for start = 1, #pairs_list, CHUNK do
    local last = math.min(start + CHUNK - 1, #pairs_list)
    added = added + redis.call('ZADD', key, flag, unpack(pairs_list, start, last))
  end
  return added
end

-- A tenant with new ready jobs joins the schedule at max(its old pass, virtual time):
-- no credit for having been away, no penalty either.
local function activate(p, tenant)
  if not redis.call('ZSCORE', p .. ':active', tenant) then
    local pass = tonumber(redis.call('HGET', p .. ':pass', tenant) or '0')
    local vtime = tonumber(redis.call('GET', p .. ':vtime') or '0')
    if vtime > pass then pass = vtime end
    redis.call('ZADD', p .. ':active', pass, tenant)
  end
end

-- Makes jobs ready: by_tenant[tenant] = {{job, priority}, ...}. Returns how many were new.
local function make_ready(p, by_tenant, count)
  if count == 0 then return 0 end
  local seq = redis.call('INCRBY', p .. ':seq', count) - count
  local added = 0
  for tenant, jobs in pairs(by_tenant) do
    local members = {}
    for _, entry in ipairs(jobs) do
      seq = seq + 1
      members[#members + 1] = (100 - entry[2]) * PRIORITY_SPAN + seq
      members[#members + 1] = entry[1]
    end
    added = added + zadd_many(p .. ':ready:' .. tenant, 'NX', members)
    activate(p, tenant)
  end
  return added
end

-- In-flight counts matter only for capped tenants, so only theirs are kept
-- (maintenance recounts them from PostgreSQL, repairing what dead workers left).
local function release_slots(p, counts)
  if redis.call('HLEN', p .. ':cap') == 0 then return end
  local tenants = {}
  for tenant in pairs(counts) do tenants[#tenants + 1] = tenant end
  local caps = redis.call('HMGET', p .. ':cap', unpack(tenants))
  for i, tenant in ipairs(tenants) do
    if caps[i] and redis.call('HINCRBY', p .. ':inflight', tenant, -counts[tenant]) <= 0 then
      redis.call('HDEL', p .. ':inflight', tenant)
    end
  end
end

-- Ends the leases of (tenant, job) pairs; gives slots back for the leases that existed.
local function end_leases(p, pairs_list)
  local key = p .. ':leased'
  for start = 1, #pairs_list, CHUNK do
    local members, tenants = {}, {}
    for i = start, math.min(start + CHUNK - 1, #pairs_list), 2 do
      tenants[#tenants + 1] = pairs_list[i]
      members[#members + 1] = lease_member(pairs_list[i], pairs_list[i + 1])
    end
    -- Only leases that existed held a slot: ending one twice gives back nothing.
    local scores = redis.call('ZMSCORE', key, unpack(members))
    local counts = {}
    for i, score in ipairs(scores) do
      if score then counts[tenants[i]] = (counts[tenants[i]] or 0) + 1 end
    end
    redis.call('ZREM', key, unpack(members))
    release_slots(p, counts)
  end
end

-- push(p; now_ms, [job, tenant, priority, due_ms]...) -> jobs that were not waiting yet
local function push_entries(p, args, first)
  local now = tonumber(args[1])
  local by_tenant, ready_count, delayed = {}, 0, {}
  for i = first, #args, 4 do
    local job, tenant, priority, due = args[i], args[i + 1], tonumber(args[i + 2]), tonumber(args[i + 3])
    if due > now then
      delayed[#delayed + 1] = due
      delayed[#delayed + 1] = tenant .. '|' .. priority .. '|' .. job
    else
      by_tenant[tenant] = by_tenant[tenant] or {}
      table.insert(by_tenant[tenant], {job, priority})
      ready_count = ready_count + 1
    end
  end
  local added = make_ready(p, by_tenant, ready_count) + zadd_many(p .. ':delayed', 'NX', delayed)
  if added > 0 then wake(p) end
  return added
end

local function push(keys, args)
  return push_entries(keys[1], args, 2)
end

local function promote_due(p, now, limit)
  local due = redis.call('ZRANGE', p .. ':delayed', '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
  if #due == 0 then return end
  local by_tenant, count = {}, 0
  for _, member in ipairs(due) do
    local tenant, priority, job = split3(member)
    by_tenant[tenant] = by_tenant[tenant] or {}
    table.insert(by_tenant[tenant], {job, tonumber(priority)})
    count = count + 1
  end
  for start = 1, #due, CHUNK do
    redis.call('ZREM', p .. ':delayed', unpack(due, start, math.min(start + CHUNK - 1, #due)))
  end
  make_ready(p, by_tenant, count)
end

-- A binary min-heap of candidate indexes ordered by pass (ties: tenant id), so a fetch
-- of n jobs across t tenants costs n·log t in Lua and one ZPOPMIN per tenant in Redis.
local function heap_push(heap, pass, tenant, index)
  heap[#heap + 1] = index
  local child = #heap
  while child > 1 do
    local parent = math.floor(child / 2)
    local a, b = heap[parent], heap[child]
    if pass[b] < pass[a] or (pass[b] == pass[a] and tenant[b] < tenant[a]) then
      heap[parent], heap[child] = b, a
      child = parent
    else
      break
    end
  end
end

local function heap_pop(heap, pass, tenant)
  local top = heap[1]
  local last = table.remove(heap)
  if #heap > 0 then
    heap[1] = last
    local parent = 1
    while true do
      local left, right, smallest = parent * 2, parent * 2 + 1, parent
      for _, child in ipairs({left, right}) do
        if child <= #heap then
          local a, b = heap[smallest], heap[child]
          if pass[b] < pass[a] or (pass[b] == pass[a] and tenant[b] < tenant[a]) then smallest = child end
        end
      end
      if smallest == parent then break end
      heap[parent], heap[smallest] = heap[smallest], heap[parent]
      parent = smallest
    end
  end
  return top
end

-- fetch(p; now_ms, max, lease_ms) -> {next_due_ms or -1, job, tenant, job, tenant, ...}
-- Every job handed out is leased until now + lease_ms. A fetch sent behind a blocking
-- wait carries the time it was sent; by the time it runs Redis's clock is later, and
-- that is the time used.
local function fetch(keys, args)
  local p = keys[1]
  local now, max, lease = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  local clock = redis.call('TIME')
  now = math.max(now, tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000))
  promote_due(p, now, max * 4 + 16)

  local capped = redis.call('HLEN', p .. ':cap') > 0
  -- Without caps only the `max` lowest passes can be served (the next new tenant
  -- served is always the lowest unserved one); with caps any may be.
  local range = redis.call('ZRANGE', p .. ':active', 0, capped and -1 or (max - 1), 'WITHSCORES')
  local tenant, pass, start, left, weight, cap, inflight, picks = {}, {}, {}, {}, {}, {}, {}, {}
  for i = 1, #range, 2 do
    local index = #tenant + 1
    tenant[index] = range[i]
    pass[index] = tonumber(range[i + 1])
    start[index] = pass[index]
    -- Every active tenant has at least one ready job. The schedule assumes it has as
    -- many as it is picked for; a tenant that runs dry just yields fewer this time.
    left[index] = max
    picks[index] = 0
  end
  local out = {-1}
  if #tenant > 0 then
    local weights = redis.call('HMGET', p .. ':weight', unpack(tenant))
    local caps = capped and redis.call('HMGET', p .. ':cap', unpack(tenant)) or {}
    local counts = capped and redis.call('HMGET', p .. ':inflight', unpack(tenant)) or {}
    for i = 1, #tenant do
      weight[i] = tonumber(weights[i] or '1')
      cap[i] = tonumber(caps[i] or '0')
      inflight[i] = tonumber(counts[i] or '0')
    end

    -- Phase 1: tenants under their cap, lowest pass first. Phase 2 (work-conserving):
    -- when every tenant still waiting is at its cap, serve them anyway.
    local taken, vtime, order = 0, nil, {}
    for phase = 1, 2 do
      local heap = {}
      for i = 1, #tenant do
        local under = cap[i] == 0 or inflight[i] + picks[i] < cap[i]
        if left[i] > 0 and (phase == 2 or under) then heap_push(heap, pass, tenant, i) end
      end
      while taken < max and #heap > 0 do
        local i = heap_pop(heap, pass, tenant)
        picks[i] = picks[i] + 1
        order[#order + 1] = i
        left[i] = left[i] - 1
        taken = taken + 1
        vtime = pass[i]
        pass[i] = pass[i] + STRIDE / weight[i]
        local under = cap[i] == 0 or inflight[i] + picks[i] < cap[i]
        if left[i] > 0 and (phase == 2 or under) then heap_push(heap, pass, tenant, i) end
      end
    end

    local got, next_of = {}, {}
    for i = 1, #tenant do
      if picks[i] > 0 then
        local ready = p .. ':ready:' .. tenant[i]
        local popped = redis.call('ZPOPMIN', ready, picks[i])
        got[i], next_of[i] = popped, 1
        local served = #popped / 2
        if cap[i] > 0 then redis.call('HINCRBY', p .. ':inflight', tenant[i], served) end
        -- A tenant pays for the jobs it got, not for picks it had no jobs for.
        local next_pass = start[i] + served * STRIDE / weight[i]
        if served < picks[i] or redis.call('EXISTS', ready) == 0 then
          redis.call('ZREM', p .. ':active', tenant[i])
          redis.call('HSET', p .. ':pass', tenant[i], next_pass)
        else
          redis.call('ZADD', p .. ':active', next_pass, tenant[i])
        end
      end
    end
    -- In the order of the picks, so a worker starting a large batch one job at a
    -- time still alternates between tenants.
    local leases, deadline = {}, tostring(now + lease)
    for _, i in ipairs(order) do
      local position = next_of[i]
      if got[i][position] then
        out[#out + 1] = got[i][position]
        out[#out + 1] = tenant[i]
        leases[#leases + 1] = deadline
        leases[#leases + 1] = lease_member(tenant[i], got[i][position])
        next_of[i] = position + 2
      end
    end
    zadd_many(p .. ':leased', 'GT', leases)
    if vtime then redis.call('SET', p .. ':vtime', vtime) end
    -- More work waits: wake the next idle worker too.
    if redis.call('EXISTS', p .. ':active') == 1 then wake(p) end
  end
  local first_due = redis.call('ZRANGE', p .. ':delayed', 0, 0, 'WITHSCORES')
  if first_due[2] then out[1] = tonumber(first_due[2]) end
  return out
end

-- finish(p; tenant, job, ...) -> ends the leases of finished (or unclaimable) jobs
local function finish(keys, args)
  end_leases(keys[1], args)
  return 1
end

-- requeue(p; now_ms, [job, tenant, priority, due_ms]...) -> jobs waiting again.
-- For retries, released and reaped jobs: the lease ends and the job waits again.
local function requeue(keys, args)
  local ended = {}
  for i = 2, #args, 4 do
    ended[#ended + 1] = args[i + 1]
    ended[#ended + 1] = args[i]
  end
  end_leases(keys[1], ended)
  return push_entries(keys[1], args, 2)
end

-- known(p; [job, tenant, priority]...) -> 1 for each job Redis knows (waiting or
-- leased), else 0
local function known(keys, args)
  local p = keys[1]
  local out = {}
  for i = 1, #args, 3 do
    local job, tenant, priority = args[i], args[i + 1], args[i + 2]
    local present = redis.call('ZSCORE', p .. ':ready:' .. tenant, job)
      or redis.call('ZSCORE', p .. ':delayed', tenant .. '|' .. priority .. '|' .. job)
      or redis.call('ZSCORE', p .. ':leased', lease_member(tenant, job))
    out[#out + 1] = present and 1 or 0
  end
  return out
end

-- leases_due(p; now_ms, limit) -> {"tenant|job", ...} whose lease deadline has passed
local function leases_due(keys, args)
  return redis.call('ZRANGE', keys[1] .. ':leased', '-inf', args[1], 'BYSCORE', 'LIMIT', 0, tonumber(args[2]))
end

-- rearm(p; [deadline_ms, tenant, job]...) -> moves deadlines of leases that still
-- exist (a heartbeat extended the lease in PostgreSQL)
local function rearm(keys, args)
  local members = {}
  for i = 1, #args, 3 do
    members[#members + 1] = args[i]
    members[#members + 1] = lease_member(args[i + 1], args[i + 2])
  end
  return zadd_many(keys[1] .. ':leased', 'XX', members)
end

-- restore_leases(p; [deadline_ms, tenant, job]...) -> leases added for running jobs
-- Redis did not know (after it lost its data)
local function restore_leases(keys, args)
  local members = {}
  for i = 1, #args, 3 do
    members[#members + 1] = args[i]
    members[#members + 1] = lease_member(args[i + 1], args[i + 2])
  end
  return zadd_many(keys[1] .. ':leased', 'NX', members)
end

-- recount(p) -> recounts capped tenants' in-flight jobs from the leases
local function recount(keys, args)
  local p = keys[1]
  redis.call('DEL', p .. ':inflight')
  local caps = redis.call('HGETALL', p .. ':cap')
  if #caps == 0 then return 0 end
  local capped, counts = {}, {}
  for i = 1, #caps, 2 do capped[caps[i]] = true end
  for _, member in ipairs(redis.call('ZRANGE', p .. ':leased', 0, -1)) do
    local tenant = tenant_of(member)
    if capped[tenant] then counts[tenant] = (counts[tenant] or 0) + 1 end
  end
  local flat = {}
  for tenant, count in pairs(counts) do
    flat[#flat + 1] = tenant
    flat[#flat + 1] = count
  end
  if #flat > 0 then redis.call('HSET', p .. ':inflight', unpack(flat)) end
  return #flat / 2
end

-- Makes hash `key` hold exactly `wanted` (tenant -> number); returns the entries changed.
local function reconcile(key, wanted)
  local changed, have = 0, {}
  local current = redis.call('HGETALL', key)
  for i = 1, #current, 2 do
    have[current[i]] = tonumber(current[i + 1])
    if wanted[current[i]] == nil then
      redis.call('HDEL', key, current[i])
      changed = changed + 1
    end
  end
  for tenant, value in pairs(wanted) do
    if have[tenant] ~= value then
      redis.call('HSET', key, tenant, value)
      changed = changed + 1
    end
  end
  return changed
end

-- settings(p; [tenant, weight, cap (0 = none)]...) -> entries changed. The arguments
-- name every tenant whose settings differ from the default (weight 1, no cap); all
-- others lose theirs. The work grows with those tenants, not with all tenants: this
-- runs on every maintenance pass and blocks Redis while it runs.
local function settings(keys, args)
  local p = keys[1]
  local weights, caps = {}, {}
  for i = 1, #args, 3 do
    local weight, cap = tonumber(args[i + 1]), tonumber(args[i + 2])
    if weight ~= 1 then weights[args[i]] = weight end
    if cap > 0 then caps[args[i]] = cap end
  end
  return reconcile(p .. ':weight', weights) + reconcile(p .. ':cap', caps)
end

-- forget(p; tenant...) -> how many tenants' schedule state went (tenants deleted in PostgreSQL)
local function forget(keys, args)
  local p, removed = keys[1], 0
  for start = 1, #args, CHUNK do
    removed = removed + redis.call('HDEL', p .. ':pass', unpack(args, start, math.min(start + CHUNK - 1, #args)))
  end
  return removed
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
  local out, seen = {}, {}
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
redis.register_function('ilc_finish', finish)
redis.register_function('ilc_requeue', requeue)
redis.register_function('ilc_known', known)
redis.register_function('ilc_leases_due', leases_due)
redis.register_function('ilc_rearm', rearm)
redis.register_function('ilc_restore_leases', restore_leases)
redis.register_function('ilc_recount', recount)
redis.register_function('ilc_settings', settings)
redis.register_function('ilc_forget', forget)
redis.register_function('ilc_epoch', epoch)
redis.register_function{function_name = 'ilc_depth', callback = depth, flags = {'no-writes'}}
