-- Assign + release for wrk (Debian's `wrk`): each connection's requests are built in wrk's own
-- thread, cheaply, so that a bare node:http server, not the generator, is the ceiling.
-- Arguments (after `--`): a file of targets, one per line, "<assignments path> <integration key>"
-- (/v1/inbox/{chatbotId}/assignments and a key of that chatbot; taken in turn, so a file naming
-- several chatbots spreads the load over them), and a prefix that makes this run's conversation
-- ids new.
-- Every assignment answered (a body naming its conversationId) is released by the next request
-- sent, at its own chatbot (the conversation id ends in "-<target's line>-<n>"); with none to
-- release, the next request assigns a new conversation. So each release follows its own
-- assignment's answer, and in a steady run the two alternate: two real changes, each one unit
-- of work.
local prefix
local targets, toRelease = {}, {}
local assigned = 0

function init(args)
  prefix = args[2]
  for line in io.lines(args[1]) do
    local path, key = line:match('^(%S+)%s+(%S+)$')
    if path then targets[#targets + 1] = { path = path, key = key } end
  end
end

function request()
  local conversation = table.remove(toRelease)
  if conversation then
    -- (The bare server answers every assignment with the same sample id: its release goes to the first target.)
    local target = targets[tonumber(conversation:match('%-(%d+)%-%d+$') or 1)] or targets[1]
    return wrk.format('DELETE', target.path .. '/' .. conversation, { ['x-chatcaptain-key'] = target.key })
  end
  assigned = assigned + 1
  local line = (assigned - 1) % #targets + 1
  local target = targets[line]
  local body = '{"conversationId":"' .. prefix .. '-' .. line .. '-' .. assigned .. '"}'
  return wrk.format('POST', target.path, { ['content-type'] = 'application/json', ['x-chatcaptain-key'] = target.key }, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 and body then
    local conversation = body:match('"conversationId":"([^"]+)"')
    if conversation then toRelease[#toRelease + 1] = conversation end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"micros":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"online":""}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
