package dev.spoa.worker.lua.jc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.Map;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.DumpState;
import org.tinylog.Logger;

/**
 * Compiles chunks to JVM classes with LuaJC loaded in {@link CompilerClassLoader}, a class loader
 * of its own, until {@link #release}: from then on nothing references that loader, and the next
 * full collection unloads it with all its classes. A chunk compiled after that (a module required
 * from a handler) loads the compiler again, 0.1–0.2 s in the middle of a call, and keeps it: loading
 * it once per module could pile up copies until a full collection.
 *
 * <p>With a directory for {@link CompiledChunks}, what one worker made of a chunk while its script
 * loaded the others find there: they define its classes without loading the compiler at all, or
 * interpret it straight away when LuaJC could not translate it.
 */
public final class LuaJcCompiler {
    /** {@link BcelTranslator}, by name: a class literal would load it in the worker's own loader. */
    static final String TRANSLATOR = "dev.spoa.worker.lua.jc.BcelTranslator";

    private final CompiledChunks compiledChunks; // null: every chunk compiled here
    private ChunkTranslator translator; // null: not loaded yet, or released
    private boolean released; // the script is loaded: chunks from now on are neither looked up nor shared
    /** The class loader of the last compiler loaded, for tests to see that it goes. */
    private WeakReference<ClassLoader> lastLoader = new WeakReference<>(null);

    /** Compiles every chunk itself. */
    public LuaJcCompiler() {
        this(null);
    }

    /**
     * Shares what it makes of chunks with the other workers through {@code compiledChunksDir}
     * (created when first needed); null: compiles every chunk itself.
     */
    public LuaJcCompiler(Path compiledChunksDir) {
        this.compiledChunks = compiledChunksDir == null ? null : new CompiledChunks(compiledChunksDir);
    }

    /**
     * The chunk as a function of generated classes, its first upvalue set to {@code env} (as LuaJC's
     * own loader does).
     *
     * @param className a Java identifier, unique among the chunks this compiler made
     * @throws ReflectiveOperationException when the compiler or the chunk's class cannot be loaded or made;
     *                                      LuaJC's failures come as runtime exceptions and errors
     */
    public LuaFunction load(Prototype chunk, String className, LuaValue env) throws ReflectiveOperationException {
        // Shared only while the script loads: a handler that calls dofile on every message would
        // otherwise leave a file in the run dir per call (each chunk gets a new class name).
        byte[] luaBytecode = compiledChunks == null || released ? null : luaBytecode(chunk);
        CompiledChunks.Entry found = luaBytecode == null ? null : compiledChunks.find(className, luaBytecode);
        if (found instanceof CompiledChunks.Failed failed) {
            throw new FailedElsewhere(failed.reason());
        }
        if (found instanceof CompiledChunks.Compiled compiled) {
            try {
                LuaFunction function = define(className, compiled.classFiles(), env);
                Logger.debug("{}: compiled by another worker", className);
                return function;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // Compiled below, and what this worker makes of it replaces the entry.
                Logger.debug("compiled chunks: {} from another worker does not load ({}); compiling it", className, e.toString());
            }
        }
        Map<String, byte[]> classFiles;
        LuaFunction function;
        try {
            classFiles = translator().translate(chunk, className, className + ".lua");
            function = define(className, classFiles, env);
        } catch (RuntimeException | ClassFormatError | VerifyError failure) {
            // What LuaJC cannot translate it never will: the other workers interpret it without trying.
            if (luaBytecode != null) {
                compiledChunks.store(className, luaBytecode, new CompiledChunks.Failed(failure.toString()));
            }
            throw failure;
        }
        if (luaBytecode != null) {
            compiledChunks.store(className, luaBytecode, new CompiledChunks.Compiled(classFiles));
        }
        return function;
    }

    /**
     * Drops the compiler: it goes at the next full collection, unless a later {@link #load} needs it again.
     *
     * @return whether there was one to drop (false when every chunk came from another worker)
     */
    public boolean release() {
        boolean loaded = translator != null;
        translator = null;
        released = true;
        return loaded;
    }

    /** The class loader of the compiler last loaded, while it has not been collected. */
    ClassLoader lastCompilerLoader() {
        return lastLoader.get();
    }

    private static LuaFunction define(String className, Map<String, byte[]> classFiles, LuaValue env)
            throws ReflectiveOperationException {
        ChunkClassLoader chunkLoader = new ChunkClassLoader(LuaFunction.class.getClassLoader(), classFiles);
        LuaFunction function = (LuaFunction) chunkLoader.loadClass(className).getDeclaredConstructor().newInstance();
        function.initupvalue1(env);
        return function;
    }

    private ChunkTranslator translator() throws ReflectiveOperationException {
        if (translator == null) {
            CompilerClassLoader loader = new CompilerClassLoader(LuaFunction.class.getClassLoader());
            translator = loader.loadClass(TRANSLATOR).asSubclass(ChunkTranslator.class).getDeclaredConstructor().newInstance();
            lastLoader = new WeakReference<>(loader);
        }
        return translator;
    }

    /** What identifies the chunk: its Lua bytecode with the debug information (line numbers and names end up in the classes). */
    private static byte[] luaBytecode(Prototype chunk) {
        ByteArrayOutputStream dump = new ByteArrayOutputStream(1024);
        try {
            DumpState.dump(chunk, dump, false);
        } catch (IOException | RuntimeException e) {
            return null; // then compiled here, and not shared
        }
        return dump.toByteArray();
    }

    /** LuaJC failed on this chunk in another worker: reads as that worker's failure did. */
    static final class FailedElsewhere extends RuntimeException {
        private final String reason;

        FailedElsewhere(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        @Override
        public String toString() {
            return reason;
        }
    }
}
