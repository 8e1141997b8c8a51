package dev.spoa.worker.lua;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;

/**
 * Turns what luaj throws into the one-line "file:line: message" operators know from Lua.
 *
 * <p>luaj 3.0.1 decorates a runtime error as {@code <source>:<line> <message>}: the raw chunk name
 * (so "@conf/x.lua", with Lua's '@' marker still on it) and a space where Lua puts ": ". Compile
 * errors come already in Lua's form ("conf/x.lua:3: ..."). Every chunk we load, and every module
 * luaj's {@code require} loads, is named "@path", so a leading '@' (or '=') marks a position.
 */
final class LuaErrors {
    /** "@src:12 rest" or "=src:? rest"; lazy so that the first ":line " ends the position. */
    private static final Pattern DECORATED = Pattern.compile("^[@=](.+?:(?:\\d+|\\?)) (.*)$", Pattern.DOTALL);

    /** luaj's compiler says "unexpected symbol 61 (=)" where Lua says "unexpected symbol near '='". */
    private static final Pattern UNEXPECTED_TOKEN = Pattern.compile("unexpected symbol (\\d+) \\(.\\)$", Pattern.DOTALL);

    /** luaj's token codes from 257 (LexState.luaX_tokens, which is not public), as Lua prints them after "near". */
    private static final String[] RESERVED_TOKENS = {
        "'and'", "'break'", "'do'", "'else'", "'elseif'", "'end'", "'false'", "'for'", "'function'", "'goto'", "'if'",
        "'in'", "'local'", "'nil'", "'not'", "'or'", "'repeat'", "'return'", "'then'", "'true'", "'until'", "'while'",
        "'..'", "'...'", "'=='", "'>='", "'<='", "'~='", "'::'", "<eof>",
    };
    private static final int FIRST_RESERVED = 257;

    private LuaErrors() {
    }

    /** A compile error: already "file:line: message", with luaj's token codes turned back into text. */
    static String syntax(String message) {
        Matcher unexpected = UNEXPECTED_TOKEN.matcher(message);
        if (!unexpected.find()) {
            return oneLine(message);
        }
        int token = Integer.parseInt(unexpected.group(1));
        String near;
        if (token < FIRST_RESERVED) {
            near = " near '" + (char) token + "'";
        } else if (token - FIRST_RESERVED < RESERVED_TOKENS.length) {
            near = " near " + RESERVED_TOKENS[token - FIRST_RESERVED];
        } else {
            near = ""; // a name, number or string: luaj does not say which
        }
        return oneLine(message.substring(0, unexpected.start()) + "unexpected symbol" + near);
    }

    /** "script.lua:12: message" for an error raised by Lua code, luaj, or the JVM under it. */
    static String describe(Throwable error, String scriptName) {
        return describe(error, scriptName, unknown -> null);
    }

    /**
     * As {@link #describe(Throwable, String)}, for code compiled by LuaJC: its errors come without
     * the position luaj's interpreter adds, so {@code positions} finds it ("file:line", or null)
     * in the error's stack trace.
     */
    static String describe(Throwable error, String scriptName, Function<Throwable, String> positions) {
        if (error instanceof StackOverflowError) {
            // Thrown past every Lua frame, so the position is lost; infinite recursion is the usual cause.
            return scriptName + ": stack overflow (infinite recursion?)";
        }
        if (!(error instanceof LuaError)) {
            return scriptName + ": " + error;
        }
        String message = error.getMessage();
        if (message == null) {
            return scriptName + ": (error object is a nil value)";
        }
        Matcher decorated = DECORATED.matcher(message);
        if (decorated.matches()) {
            return oneLine(decorated.group(1) + ": " + decorated.group(2));
        }
        String position = positions.apply(error);
        return oneLine(position == null ? message : position + ": " + message);
    }

    /** Lua's "file:line: message" from luaj's "@file:line message"; anything else unchanged. */
    static String normalize(String message) {
        Matcher decorated = DECORATED.matcher(message);
        return decorated.matches() ? decorated.group(1) + ": " + decorated.group(2) : message;
    }

    /** Logs and the command line want one line: an error("a\nb") must not forge a second log entry. */
    static String oneLine(String message) {
        if (message.indexOf('\n') < 0 && message.indexOf('\r') < 0) {
            return message;
        }
        return message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
