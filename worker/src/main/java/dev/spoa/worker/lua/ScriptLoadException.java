package dev.spoa.worker.lua;

/**
 * The handler script could not be loaded: unreadable, a syntax error, or an error raised while its
 * top level ran. The message is one line fit for an operator ("conf/x.lua:3: '=' expected near
 * 'end'"): the command line prints it and exits non-zero before starting any worker.
 */
public final class ScriptLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public ScriptLoadException(String message) {
        super(LuaErrors.oneLine(message));
    }
}
