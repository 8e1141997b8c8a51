package dev.spoa.worker.lua.jc;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.bcel.util.ClassPath;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.luajc.JavaGen;
import org.tinylog.Logger;

/**
 * LuaJC's code generator (luaj's {@code JavaGen}, on BCEL) behind {@link ChunkTranslator}. Only
 * ever loaded by {@link CompilerClassLoader}, so that it and everything it uses go with that
 * loader: {@link LuaJcCompiler} names it as a string, and nothing else may name it at all.
 */
public final class BcelTranslator implements ChunkTranslator {
    private boolean classPathClosed;

    @Override
    public Map<String, byte[]> translate(Prototype chunk, String className, String fileName) {
        try {
            Map<String, byte[]> classFiles = new HashMap<>();
            add(classFiles, new JavaGen(chunk, className, fileName, false));
            return classFiles;
        } finally {
            closeClassPath();
        }
    }

    private static void add(Map<String, byte[]> classFiles, JavaGen generated) {
        classFiles.put(generated.classname, generated.bytecode);
        if (generated.inners != null) {
            for (JavaGen inner : generated.inners) {
                add(classFiles, inner);
            }
        }
    }

    /**
     * Closes what BCEL opened, for the whole loader, the first time LuaJC built a class: its system
     * class path, every jar on the worker's class path and, where the JDK has them, all ~70 of its
     * jmod files, whose zip directories (3 MB) would otherwise stay until this loader is collected,
     * or for good if a module loaded late keeps the compiler. LuaJC only generates classes, it never
     * looks one up, so later chunks compile without it (CompileTest).
     */
    private void closeClassPath() {
        if (classPathClosed) {
            return;
        }
        classPathClosed = true;
        try {
            ClassPath.SYSTEM_CLASS_PATH.close();
        } catch (IOException | RuntimeException e) {
            // Only memory is at stake: the chunk is translated whatever happens here.
            Logger.debug("closing BCEL's class path: {}", e.toString());
        }
    }
}
