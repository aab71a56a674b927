-- The core loads for wrk (Debian's `wrk`, a load generator in C): requests are built in wrk's
-- own thread, cheaply, so that a bare node:http server, not the generator, is the ceiling.
-- Arguments (after `--`): mode (list, activity, heartbeats, changes), path, the file of keys
-- (one per line, agent by agent), keys per agent, the base clientTimestamp (ms), and each
-- agent's online flag as a string of 0 and 1 (heartbeats re-post it, changes flip it).
local mode, path, perAgent, base
local keys, online, posted, built = {}, {}, {}, {}
local agents, sent = 0, 0

function init(args)
  mode, path, perAgent, base = args[1], args[2], tonumber(args[4]), tonumber(args[5])
  for line in io.lines(args[3]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  agents = math.floor(#keys / perAgent)
  local bits = args[6] or ''
  for a = 1, agents do
    online[a] = bits:sub(a, a) == '1'
    posted[a] = 0
  end
  -- The list and activity: every request built ahead, the keys in turn.
  if mode == 'list' or mode == 'activity' then
    local method = mode == 'list' and 'GET' or 'POST'
    for k = 1, #keys do built[k] = wrk.format(method, path, { ['x-chatcaptain-key'] = keys[k] }) end
  end
end

function request()
  sent = sent + 1
  if mode == 'list' or mode == 'activity' then return built[(sent - 1) % #built + 1] end
  -- The agents in turn (as many agents as connections: an agent's next update goes out about
  -- when its last was answered), each from its keys in turn, with a clientTimestamp rising per
  -- agent from the base.
  local a = (sent - 1) % agents + 1
  local key = keys[(a - 1) * perAgent + (math.floor((sent - 1) / agents) % perAgent) + 1]
  posted[a] = posted[a] + 1
  if mode == 'changes' then online[a] = not online[a] end
  local body = '{"online":' .. (online[a] and 'true' or 'false') .. ',"clientTimestamp":"' .. string.format('%d', base + posted[a]) .. '"}'
  return wrk.format('POST', path, { ['content-type'] = 'application/json', ['x-chatcaptain-key'] = key }, body)
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

-- One JSON line: what wrk counted, and where each agent's online flag ended (for the next run).
function done(summary, latency, requests)
  local flags = threads[1]:get('online') or {}
  local bits = {}
  for a = 1, #flags do bits[a] = flags[a] and '1' or '0' end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"micros":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"online":"%s"}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(bits)))
end
