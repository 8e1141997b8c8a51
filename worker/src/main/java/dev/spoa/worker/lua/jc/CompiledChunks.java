package dev.spoa.worker.lua.jc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tinylog.Logger;

/**
 * What LuaJC made of chunks, kept in a directory for the other workers (the run dir's, or the
 * supervisor's cache dir, where it outlives the agent): a worker started later (a replacement above
 * all, or any worker of a later start) defines the classes without loading the compiler at all, and
 * a chunk LuaJC could not translate is interpreted straight away.
 *
 * <p>An entry is found by the chunk's class name and its Lua bytecode (luaj's dump of the compiled
 * chunk, debug information included), both compared byte for byte: a module edited since, or a new
 * version of the script, is compiled again and gets an entry of its own. Each entry is one file,
 * written aside and renamed into place, so it is seen whole or not at all, and ends with a checksum
 * of the rest. Failing to read or write one only means that the chunk is compiled here, as it would
 * have been without this.
 */
record CompiledChunks(Path dir) {
    private static final int MAGIC = 0x53504a43; // "SPJC"
    private static final int FORMAT = 1;
    /** Characters of a failure kept: 3 bytes each at most in modified UTF-8, within writeUTF's 65,535. */
    private static final int MAX_REASON = 20_000;
    /** Larger than any chunk's classes: a bigger file is not read. */
    private static final long MAX_ENTRY_BYTES = 64 << 20;

    /** What one worker made of a chunk. */
    sealed interface Entry permits Compiled, Failed {
    }

    /** Class name → class file: the chunk's class, and one per nested function. */
    record Compiled(Map<String, byte[]> classFiles) implements Entry {
    }

    /** LuaJC could not translate it; {@code reason} as the worker that tried said it. */
    record Failed(String reason) implements Entry {
    }

    /** What a worker stored for that chunk, or null if none did (or its entry cannot be read). */
    Entry find(String className, byte[] luaBytecode) {
        Path file = dir.resolve(fileName(className, luaBytecode));
        try {
            long size = Files.size(file);
            if (size > MAX_ENTRY_BYTES) {
                throw new IOException(size + " bytes");
            }
            return decode(Files.readAllBytes(file), className, luaBytecode);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            Logger.debug("compiled chunks: cannot read {}: {}", file, e.toString());
            return null;
        }
    }

    /** Keeps what was made of that chunk for the other workers; the same chunk stored twice gives the same entry. */
    void store(String className, byte[] luaBytecode, Entry entry) {
        Path file = dir.resolve(fileName(className, luaBytecode));
        Path aside = null;
        try {
            // For this user alone, whatever the umask: the class files here run in every worker.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            aside = Files.createTempFile(dir, ".writing-", ".tmp");
            Files.write(aside, encode(className, luaBytecode, entry));
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE); // replaces an equal entry another worker stored
            aside = null;
        } catch (IOException | RuntimeException e) {
            Logger.debug("compiled chunks: cannot store {}: {}", file, e.toString());
        } finally {
            if (aside != null) {
                try {
                    Files.deleteIfExists(aside);
                } catch (IOException e) {
                    Logger.debug("compiled chunks: cannot delete {}: {}", aside, e.toString());
                }
            }
        }
    }

    /** ASCII whatever the class name (a Lua file's name may not be), and rarely shared by two chunks. */
    private static String fileName(String className, byte[] luaBytecode) {
        CRC32C crc = new CRC32C();
        crc.update(className.getBytes(StandardCharsets.UTF_8));
        crc.update(luaBytecode);
        return String.format("%08x-%d.chunk", crc.getValue(), luaBytecode.length);
    }

    static byte[] encode(String className, byte[] luaBytecode, Entry entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(className);
        out.writeInt(luaBytecode.length);
        out.write(luaBytecode);
        if (entry instanceof Failed failed) {
            out.writeBoolean(true);
            String reason = failed.reason();
            out.writeUTF(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason); // writeUTF: 65,535 bytes at most
        } else if (entry instanceof Compiled compiled) {
            out.writeBoolean(false);
            out.writeInt(compiled.classFiles().size());
            for (Map.Entry<String, byte[]> classFile : compiled.classFiles().entrySet()) {
                out.writeUTF(classFile.getKey());
                out.writeInt(classFile.getValue().length);
                out.write(classFile.getValue());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    /** The entry, or null if it is for another chunk; throws if the file is damaged. */
    static Entry decode(byte[] file, String className, byte[] luaBytecode) throws IOException {
        if (file.length < 4) {
            throw new IOException("truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 0, file.length - 4));
        if ((int) crc.getValue() != new DataInputStream(new ByteArrayInputStream(file, file.length - 4, 4)).readInt()
                || in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException("damaged, or not an entry of this version");
        }
        if (!in.readUTF().equals(className) || !Arrays.equals(readBytes(in), luaBytecode)) {
            return null; // another chunk whose name and bytecode have the same checksum: compiled here
        }
        if (in.readBoolean()) {
            return new Failed(in.readUTF());
        }
        int count = in.readInt();
        if (count < 1 || count > in.available()) {
            throw new IOException("damaged: " + count + " classes");
        }
        Map<String, byte[]> classFiles = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            if (!name.equals(className) && !name.startsWith(className + "$")) {
                throw new IOException("damaged: class " + name);
            }
            classFiles.put(name, readBytes(in));
        }
        if (!classFiles.containsKey(className)) {
            throw new IOException("damaged: no class " + className);
        }
        return new Compiled(classFiles);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("damaged: " + length + " bytes");
        }
        return in.readNBytes(length);
    }
}
