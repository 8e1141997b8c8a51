-- The benchmark's busier handler: string work, a table, a loop, as a real handler has.
local weights = { GET = 1, POST = 3, PUT = 3, DELETE = 5 }
local seen = {}
spoa.register_message("check-client-ip", function(args)
	local ip = args.ip
	local a, b, c, d = ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	local score = 0
	for i = 1, 50 do
		score = (score * 31 + tonumber(a) * i + tonumber(d)) % 1000003
	end
	local key = a .. "." .. b
	seen[key] = (seen[key] or 0) + 1
	score = score + (weights.POST or 0) + seen[key] % 7
	spoa.set_var_int32("ip_score", spoa.scope.txn, score % 100)
	spoa.set_var_str("net", spoa.scope.txn, key .. "." .. c .. ".0/24")
end)
