package dev.spoa.worker.lua;

import java.io.IOException;
import java.io.InputStream;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JseIoLib;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * What {@code --lua-sandbox} takes away from a handler: running programs ({@code os.execute},
 * {@code io.popen}), writing files ({@code io.open} other than for reading, {@code io.output} to a
 * file, {@code io.tmpfile}, {@code os.remove}, {@code os.rename}, {@code os.tmpname}), stopping its
 * worker ({@code os.exit}), Java ({@code luajava}, and {@code require} of Java classes) and
 * precompiled bytecode ({@code load}, {@code loadfile}, {@code dofile} and {@code require} accept
 * source text only: bytecode skips the compiler's checks). Each refused call is a Lua error naming
 * the option, so that a handler that needs it fails loudly at its first use, and reading files,
 * the environment and the clock still work.
 */
final class Sandbox {
    static final String OPTION = "--lua-sandbox";

    private Sandbox() {
    }

    static LuaError refused(String what) {
        return new LuaError(what + " is not allowed (" + OPTION + ")");
    }

    /** Binary chunks start with ESC ("\27Lua"); everything else is left to the compiler. */
    static final class TextOnlyUndumper implements Globals.Undumper {
        @Override
        public Prototype undump(InputStream stream, String chunkname) throws IOException {
            int first = stream.read();
            if (first == 0x1B) {
                throw refused("loading precompiled bytecode");
            }
            return null; // Globals.loadPrototype resets the stream and compiles it as text
        }
    }

    /** The io library, reading files and standard streams only. */
    static final class ReadOnlyIo extends JseIoLib {
        @Override
        protected File openFile(String filename, boolean readMode, boolean appendMode, boolean updateMode, boolean binaryMode)
                throws IOException {
            if (!readMode || updateMode || appendMode) {
                throw refused("opening a file for writing");
            }
            return super.openFile(filename, true, false, false, binaryMode);
        }

        @Override
        protected File openProgram(String prog, String mode) {
            throw refused("io.popen");
        }

        @Override
        protected File tmpFile() {
            throw refused("io.tmpfile");
        }
    }

    /** The os library without the calls that change the system or stop the worker. */
    static final class HarmlessOs extends JseOsLib {
        @Override
        protected Varargs execute(String command) {
            throw refused("os.execute");
        }

        @Override
        protected void exit(int code) {
            throw refused("os.exit");
        }

        @Override
        protected void remove(String filename) {
            throw refused("os.remove");
        }

        @Override
        protected void rename(String oldname, String newname) {
            throw refused("os.rename");
        }

        @Override
        protected String tmpname() {
            throw refused("os.tmpname");
        }
    }

    /** {@code require} finds preloaded and Lua modules only: luaj's third searcher instantiates Java classes by name. */
    static void luaModulesOnly(LuaValue packageTable) {
        LuaTable searchers = packageTable.get("searchers").checktable();
        LuaTable kept = new LuaTable();
        kept.set(1, searchers.get(1)); // package.preload
        kept.set(2, searchers.get(2)); // Lua files on package.path
        packageTable.set("searchers", kept);
    }
}
