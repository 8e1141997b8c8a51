-- IP reputation: the classic SPOE example.
--
-- HAProxy sends the client address in the message "check-client-ip":
--
--     spoe-message check-client-ip
--         args ip=src
--         event on-frontend-http-request
--
-- and this handler answers with txn.<var-prefix>.ip_score, an int32 from 0 (bad) to 100 (good),
-- which the HAProxy rules then use, e.g.
--
--     http-request deny if { var(txn.iprep.ip_score) -m int lt 20 }
--
-- It uses only the API of HAProxy's original agent (contrib/spoa_server), so it runs unchanged there.

-- A real deployment would look the address up in a reputation database or a blocklist. This
-- example derives the score from the address text so that it is deterministic and testable:
-- loopback is trusted, anything else gets a checksum of its characters modulo 101.
local function score(ip)
	if ip == "127.0.0.1" or ip == "::1" then
		return 100
	end
	local sum = 0
	for i = 1, #ip do
		sum = sum + string.byte(ip, i) * i
	end
	return sum % 101
end

spoa.register_message("check-client-ip", function(args)
	-- args is an array of {name=..., value=...}, in the order of the spoe-message's "args".
	-- Take the argument named "ip", or the first one if none has that name.
	local ip = nil
	for _, arg in ipairs(args) do
		if arg.name == "ip" then
			ip = arg.value
			break
		end
	end
	if ip == nil and args[1] ~= nil then
		ip = args[1].value
	end
	if type(ip) ~= "string" then
		return -- no address (e.g. a Unix socket client): set nothing, the rules see no score
	end
	spoa.set_var_int32("ip_score", spoa.scope.txn, score(ip))
end)
