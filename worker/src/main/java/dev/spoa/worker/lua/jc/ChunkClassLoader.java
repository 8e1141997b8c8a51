package dev.spoa.worker.lua.jc;

import java.util.HashMap;
import java.util.Map;

/**
 * Defines one chunk's classes, as LuaJC's own {@code JavaLoader} does, but as a class of ours
 * under the worker's class loader: the chunk's functions then hold nothing of the compiler. Each
 * class file is dropped once its class is defined (a nested function's class when the function is
 * first made).
 */
final class ChunkClassLoader extends ClassLoader {
    private final Map<String, byte[]> classFiles;

    static {
        registerAsParallelCapable();
    }

    ChunkClassLoader(ClassLoader parent, Map<String, byte[]> classFiles) {
        super("lua-chunk", parent);
        this.classFiles = new HashMap<>(classFiles);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes;
        synchronized (classFiles) {
            bytes = classFiles.remove(name);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
