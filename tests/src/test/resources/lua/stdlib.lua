-- A handler that uses every library the workers have, behind a real HAProxy
-- (LuaLibraryEndToEndTest, haproxy/stdlib.cfg). The request carries a JSON body signed with
-- HMAC-SHA256 in X-Signature, Basic credentials, and an HTTP date in X-Date.
local secret = "s3cret"
local internal = { "10.0.0.0/8", "127.0.0.0/8", "::1" }

hits = {} -- per user, per worker: globals persist across calls

spoa.on_init(function()
	spoa.log_info("stdlib.lua ready in worker", spoa.worker_id(), "of", spoa.workers())
end)

spoa.register_message("inspect", function(args)
	local ok, doc = pcall(json.decode, args.body or "")
	if not ok then
		spoa.set_var_str("json_error", spoa.scope.txn, doc)
		return
	end
	local user = doc.user
	hits[user] = (hits[user] or 0) + 1
	spoa.set_var_str("user", spoa.scope.txn, user)
	spoa.set_var_int32("hits", spoa.scope.txn, hits[user])
	spoa.set_var_str("tags", spoa.scope.txn, json.encode(doc.tags))
	spoa.set_var_str("md5", spoa.scope.txn, crypto.md5(user))

	local credentials = re.match(args.auth or "", [[^Basic\s+(\S+)$]])
	if credentials then
		spoa.set_var_str("login", spoa.scope.txn, re.match(base64.decode(credentials), "^([^:]*):"))
	end
	spoa.set_var_boolean("signed", spoa.scope.txn, crypto.hmac("sha256", secret, args.body) == args.sig)

	local date = time.parse(args.date or "", "%a, %d %b %Y %H:%M:%S GMT")
	if date then
		spoa.set_var_int64("date", spoa.scope.txn, date)
		spoa.set_var_str("day", spoa.scope.txn, time.format(date, "%A"))
	end

	spoa.set_var_boolean("internal", spoa.scope.txn, net.ip_in(args.ip, internal))
	spoa.set_var_int32("ipv", spoa.scope.txn, net.ip_version(args.ip))
	local browser, major = re.match(args.ua or "", [[(Firefox|Chrome)/(\d+)]])
	if browser then
		spoa.set_var_str("browser", spoa.scope.txn, browser .. " " .. major)
	end
	-- "café" is 5 bytes in UTF-8, 4 in ISO-8859-1.
	spoa.set_var_int32("latin1", spoa.scope.txn, #string.iconv(doc.title, "UTF-8", "ISO-8859-1"))
	os.usleep(50)
end)
