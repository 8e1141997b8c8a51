package dev.spoa.worker.lua.jc;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Loads the compiler's own classes itself, from the worker's class path, and leaves every other
 * class to the worker's loader: LuaJC, BCEL and BCEL's two libraries are then defined here and
 * nowhere else, and are unloaded with this loader. The class files are read through the parent's
 * resources, so this works wherever the worker's classes come from (jars, or directories in tests).
 */
final class CompilerClassLoader extends ClassLoader {
    /**
     * What belongs to the compiler. The worker's own loader loads none of these (CdsArchiveTest
     * checks its class list); were one of them ever needed there too, each side would have its copy.
     */
    private static final List<String> OWN = List.of("org.luaj.vm2.luajc.", "org.apache.bcel.", "org.apache.commons.lang3.",
            "org.apache.commons.io.", LuaJcCompiler.TRANSLATOR);

    static {
        registerAsParallelCapable();
    }

    CompilerClassLoader(ClassLoader parent) {
        super("luajc", parent);
    }

    static boolean isOwn(String className) {
        for (String prefix : OWN) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isOwn(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        try (InputStream classFile = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (classFile == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = classFile.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
