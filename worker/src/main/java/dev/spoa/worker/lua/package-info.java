/**
 * The Lua handler: scripts written for HAProxy's original multi-language agent
 * (contrib/spoa_server, Lua part) run unchanged, on luaj 3.0.1 (Lua 5.2).
 *
 * <p>docs/LUA.md is the handler author's guide: this API, the libraries every worker has (json,
 * crypto, base64, re, string.iconv, time, os.usleep, net), state and on_init, modules, the
 * sandbox, limits and speed.
 *
 * <h2>The {@code spoa} table</h2>
 * <pre>
 * spoa.register_message(name, fn)          fn(args, message_name) runs for each message of that name
 * spoa.set_var_null(name, scope)           NULL (HAProxy unsets the variable)
 * spoa.set_var_boolean(name, scope, b)     BOOL; b must be a boolean
 * spoa.set_var_int32(name, scope, n)       INT32   -2^31 .. 2^31-1
 * spoa.set_var_uint32(name, scope, n)      UINT32  0 .. 2^32-1
 * spoa.set_var_int64(name, scope, n)       INT64   -2^63 .. 2^63-1
 * spoa.set_var_uint64(name, scope, n)      UINT64  0 .. 2^64-1
 * spoa.set_var_ipv4(name, scope, "a.b.c.d")
 * spoa.set_var_ipv6(name, scope, "2001:db8::1")
 * spoa.set_var_str(name, scope, s)         STRING, the exact bytes of s
 * spoa.set_var_bin(name, scope, s)         BINARY, the exact bytes of s
 * spoa.unset_var(name, scope)              UNSET-VAR (not in the original)
 * spoa.scope.proc | sess | txn | req | res = 0 .. 4
 * spoa.log(level, ...)                     logs the values, joined by spaces (not in the original)
 * spoa.log_debug(...), log_info, log_warn, log_error   the same at that level
 * spoa.on_init(fn)                         fn() runs once as a worker starts (not in the front's check)
 * spoa.worker_id(), spoa.workers()         this worker's index (0 ..), how many workers there are
 * </pre>
 *
 * <p>{@code args} is an array of {@code {name=..., value=...}} in the order of the spoe-message's
 * arguments (an unnamed argument has name ""). As an addition, {@code args.ip} (or
 * {@code args["ip"]}) is the value of the first argument named "ip"; it is served by a metatable,
 * so {@code pairs(args)} and {@code #args} see exactly what the original showed. Values: NULL →
 * nil, BOOL → boolean, integers → number, IPv4/IPv6 → text as inet_ntop prints it, STRING and
 * BINARY → string with the exact bytes. The message name comes as the second argument.
 *
 * <h2>Logging</h2>
 * {@code spoa.log(level, ...)} writes a line to the worker's log at {@code level}: "debug",
 * "info", "warn" (or "warning") or "error" (or "err"), in any case; another level is a Lua error.
 * The values after it are shown as {@code tostring} shows them ({@code __tostring} included, nil
 * as "nil") and joined by spaces: {@code spoa.log("warn", "unknown client", args.ip, 42)}. The
 * shortcuts {@code spoa.log_debug(...)}, {@code log_info}, {@code log_warn} and {@code log_error}
 * take the values alone. The worker's log goes to the front, which writes it to the agent's log
 * (console, file or syslog) tagged with the worker ({@code [worker-2]}). A level the agent does not
 * log (debug, unless started with {@code -d}) costs a check and no string building. A message may
 * span several lines. {@code print} is not the way to log: it writes to the worker's standard
 * output, which the front relays as a WARN line of unexpected output.
 *
 * <h2>64-bit integers</h2>
 * Lua 5.2 numbers are doubles, exact for integers up to 2^53 in magnitude. An incoming INT64 or
 * UINT64 within ±2^53 arrives as a number; beyond, it arrives as its exact decimal text (e.g.
 * "18446744073709551615"), so that it can be compared as text, logged, or sent back exactly. Such
 * text still works in arithmetic (Lua converts it, rounding), but {@code <} against a number raises
 * an error: {@code tonumber(v)} first when an approximation is fine. (The original agent gave nil
 * for a UINT64 above 2^63-1.) Going out, every integer setter takes a number with an integral
 * value, or a string that converts to one; a decimal string is read exactly, which is how a
 * handler sends a 64-bit value beyond 2^53: {@code spoa.set_var_uint64("h", spoa.scope.txn, "18446744073709551615")}.
 *
 * <h2>Errors</h2>
 * A bad argument (unknown scope, non-number, out-of-range integer, malformed address, wrong type)
 * raises a Lua error at the caller's line, as a standard library function would. An error in a
 * handler drops the actions that handler set, keeps the other messages' actions, and is reported
 * as "script.lua:12: message"; the next call runs normally.
 *
 * <h2>Differences from the original</h2>
 * Values keep their type (the original tagged every integer UINT32 and truncated 64-bit values);
 * arguments are checked (the original cast any scope to a byte); a duplicate register_message is a
 * load error (the original exited); a failed handler's actions are dropped (the original sent the
 * ones set before the error); {@code require} also searches the script's directory,
 * {@code --lua-path} and {@code LUA_PATH}. luaj is
 * Lua 5.2: no integer subtype, no {@code //} or bitwise operators (use {@code bit32}), no
 * {@code utf8} or {@code string.pack}; the {@code debug} library is not loaded (it would slow every
 * call); a handler cannot yield.
 */
package dev.spoa.worker.lua;
