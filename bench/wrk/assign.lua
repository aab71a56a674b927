-- Assign + release for wrk (Debian's `wrk`): each connection's requests are built in wrk's own
-- thread, cheaply, so that a bare node:http server, not the generator, is the ceiling.
-- Arguments (after `--`): the assignments path (/v1/inbox/{chatbotId}/assignments), the file of
-- integration keys (one per line, taken in turn) and a prefix that makes this run's
-- conversation ids new.
-- Every assignment answered (a body naming its conversationId) is released by the next request
-- sent; with none to release, the next request assigns a new conversation. So each release
-- follows its own assignment's answer, and in a steady run the two alternate: two real
-- changes, each one unit of work.
local path, prefix
local keys, toRelease = {}, {}
local sent, assigned = 0, 0

function init(args)
  path, prefix = args[1], args[3]
  for line in io.lines(args[2]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
end

function request()
  sent = sent + 1
  local key = keys[(sent - 1) % #keys + 1]
  local conversation = table.remove(toRelease)
  if conversation then
    return wrk.format('DELETE', path .. '/' .. conversation, { ['x-chatcaptain-key'] = key })
  end
  assigned = assigned + 1
  local body = '{"conversationId":"' .. prefix .. '-' .. assigned .. '"}'
  return wrk.format('POST', path, { ['content-type'] = 'application/json', ['x-chatcaptain-key'] = key }, body)
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
