package io.deksdenflow.orchestrator.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The end of a run's log file: its last {@link #MAX_BYTES} (a regular file only, never through a link). */
public record RunLogTail(String text, boolean truncated) {
    public static final int MAX_BYTES = 64 * 1024;

    public static final RunLogTail EMPTY = new RunLogTail("", false);

    /** The file's tail; {@link #EMPTY} when there is no such regular file. */
    public static RunLogTail read(Path file) {
        if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return EMPTY;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long len = ch.size();
            long from = Math.max(0, len - MAX_BYTES);
            ByteBuffer buf = ByteBuffer.allocate((int) (len - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // read on until the tail is in
            }
            return new RunLogTail(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8), from > 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
