-- Argo CD health check for logpipe.dev LogPipeline and ClusterLogBackend.
-- Healthy: Ready is True and the status describes the current generation.
-- Progressing: no status yet, an older generation, conditions missing or Unknown, or a
--   condition that is False only while something rolls out (reason Pending, *Progressing,
--   StorageProvisioning, Deleting, KafkaUserPending).
-- Degraded: Ready is False because a condition failed; the message is that condition's.
-- Written for gopher-lua (Lua 5.1, base and table libraries only): no string library, no '#'.
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the logpipe operator to report status"

if obj.status == nil then
  return hs
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Being deleted"
  return hs
end

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed ~= generation) then
  hs.message = "Reconciling generation " .. tostring(generation)
  if observed ~= nil then
    hs.message = hs.message .. " (status describes generation " .. tostring(observed) .. ")"
  end
  return hs
end

-- Reasons under which a False condition is expected to turn True by itself.
local transient = {
  Pending = true,
  WorkersProgressing = true,
  GatewayProgressing = true,
  StorageProvisioning = true,
  Deleting = true,
  KafkaUserPending = true
}
-- Best-effort or informative conditions that never make a resource Degraded on their own
-- (CredentialsReady is False wherever a backend cannot give the pipeline users of its own).
local optional = { CacheReady = true, CredentialsReady = true }

local ready = nil
local failed = nil
local waiting = nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      ready = c
    elseif c.status == "False" and not optional[c.type] then
      if c.reason ~= nil and transient[c.reason] then
        if waiting == nil then waiting = c end
      elseif failed == nil then
        failed = c
      end
    elseif c.status ~= "True" and c.status ~= "False" and not optional[c.type] then
      if waiting == nil then waiting = c end
    end
  end
end

local function describe(c)
  local text = tostring(c.type)
  if c.reason ~= nil then
    text = text .. " (" .. tostring(c.reason) .. ")"
  end
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. tostring(c.message)
  end
  return text
end

if ready == nil then
  hs.message = "Waiting for the Ready condition"
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready"
  if ready.message ~= nil and ready.message ~= "" then
    hs.message = ready.message
  end
  return hs
end

if ready.status == "False" then
  if failed ~= nil then
    hs.status = "Degraded"
    hs.message = describe(failed)
    return hs
  end
  if waiting ~= nil then
    hs.message = describe(waiting)
    return hs
  end
  if ready.reason ~= nil and transient[ready.reason] then
    hs.message = describe(ready)
    return hs
  end
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

-- Ready is Unknown (or an unexpected value): still being worked out.
if waiting ~= nil then
  hs.message = describe(waiting)
else
  hs.message = describe(ready)
end
return hs
