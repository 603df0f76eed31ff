package io.deksdenflow.orchestrator.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a file an agent or an engine CLI could have written or replaced: never through a link
 * ({@code O_NOFOLLOW}, the file's type checked before the open), regular files only (a FIFO, a
 * device or a socket is refused before it is opened, so the read neither blocks nor streams an
 * endless device), the same file after the open as before it (device and inode compared; a file replaced by a
 * rename in between is looked at again, up to five times), and
 * never more than {@code maxBytes} (default {@value #DEFAULT_MAX_BYTES}, setting
 * {@code DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES}). A refused file is an {@link UntrustedContentException}
 * ({@code unsafe_path}), so the job fails without a retry.
 */
public final class UntrustedFiles {
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final int REPLACED_ATTEMPTS = 5;
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private UntrustedFiles() {}

    /** What was read: the text (at most the cap), whether more was there, and the file's size. */
    public record Content(String text, boolean truncated, long size) {}

    /**
     * Reads {@code file} as UTF-8, at most {@code maxBytes}. {@code what} names the file in a refusal
     * ("the engine's answer file"). A missing file is a {@link java.nio.file.NoSuchFileException}.
     */
    public static Content read(Path file, long maxBytes, String what) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Content c = readOnce(file, maxBytes, what);
            if (c != null) return c;
            // Replaced between the look and the open. Tools replace files by rename (git writes its
            // config through config.lock), so look again: what is opened is only trusted when the
            // looks before and after the open see the same regular file.
            if (attempt == REPLACED_ATTEMPTS) throw refuse(what, file, "was replaced while the service opened it");
        }
    }

    private static Content readOnce(Path file, long maxBytes, String what) throws IOException {
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        requireRegular(before, file, what);
        try (SeekableByteChannel ch = open(file, what)) {
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            requireRegular(after, file, what);
            if (before.fileKey() != null && !Objects.equals(before.fileKey(), after.fileKey())) return null;
            long cap = Math.max(0, maxBytes);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(1, Math.min(cap + 1, CHUNK)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean truncated = false;
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) break;
                long room = cap - out.size();
                if (n > room) {
                    out.write(buf.array(), 0, (int) room);
                    truncated = true;
                    break;
                }
                out.write(buf.array(), 0, n);
            }
            return new Content(out.toString(StandardCharsets.UTF_8), truncated, Math.max(after.size(), out.size()));
        }
    }

    /** {@link #read}, but a file over the cap is refused rather than cut. */
    public static String readWhole(Path file, long maxBytes, String what) throws IOException {
        Content c = read(file, maxBytes, what);
        if (c.truncated()) {
            throw refuse(what, file, "is larger than " + maxBytes + " bytes (DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES)");
        }
        return c.text();
    }

    private static SeekableByteChannel open(Path file, String what) throws IOException {
        try {
            return Files.newByteChannel(file, READ);
        } catch (IOException e) {
            // ELOOP: a link was put in its place after the check
            if (Files.isSymbolicLink(file)) throw refuse(what, file, "is a symbolic link; the service does not follow it");
            throw e;
        }
    }

    private static void requireRegular(BasicFileAttributes a, Path file, String what) {
        if (a.isSymbolicLink()) throw refuse(what, file, "is a symbolic link; the service does not follow it");
        if (!a.isRegularFile()) throw refuse(what, file, "is not a regular file (a FIFO, device, socket or directory)");
    }

    private static UntrustedContentException refuse(String what, Path file, String why) {
        return new UntrustedContentException(UntrustedContentException.UNSAFE_PATH,
                what + " (" + file.getFileName() + ") " + why);
    }
}
