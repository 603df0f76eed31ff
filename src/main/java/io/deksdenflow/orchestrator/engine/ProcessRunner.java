package io.deksdenflow.orchestrator.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Runs a program without a shell, streams its stdout and stderr to a log file, keeps stdout in
 * memory (capped) and the tail of stderr, and kills the whole process tree on timeout or cancel.
 * Inherited {@code DEKSDENFLOW_*} variables (API token, database URL, ...) are not passed on: the
 * children are coding agents and git, which never need them.
 */
@Component
public class ProcessRunner {
    static final int STDOUT_CAP = 8 * 1024 * 1024;
    static final int STDERR_TAIL = 4 * 1024;
    /** On disk a run's output is bounded as in memory: its first and last 4 MiB, with the elided count between. */
    static final long LOG_HEAD = 4L * 1024 * 1024;
    static final int LOG_TAIL = 4 * 1024 * 1024;
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(5);

    public ProcessResult run(ProcessSpec spec) {
        if (!Files.isDirectory(spec.workdir())) {
            throw new UncheckedIOException(new IOException("working directory does not exist: " + spec.workdir()));
        }
        ProcessBuilder builder = new ProcessBuilder(spec.command()).directory(spec.workdir().toFile());
        Map<String, String> env = builder.environment();
        if (spec.isolatedEnv()) env.clear();
        else env.keySet().removeIf(k -> k.startsWith("DEKSDENFLOW_"));
        env.putAll(spec.env());

        try (LogSink log = LogSink.open(spec.logFile())) {
            log.line("$ " + String.join(" ", spec.command()) + "   (in " + spec.workdir() + ")");
            long started = System.nanoTime();
            Process process = start(builder, spec);
            try {
                return supervise(spec, process, log, started);
            } catch (InterruptedException e) {
                killTree(process); // the worker is stopping: leave no agent behind
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + spec.command().get(0), e);
            }
        }
    }

    private ProcessResult supervise(ProcessSpec spec, Process process, LogSink log, long started) throws InterruptedException {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        spec.cancel().onCancel(() -> {
            if (!finished.get() && cancelled.compareAndSet(false, true)) killTree(process);
        });

        StreamPump out = StreamPump.start(process.getInputStream(), log, STDOUT_CAP, "stdout", spec.stdoutLines());
        StreamPump err = StreamPump.start(process.getErrorStream(), log, STDERR_TAIL, "stderr", null);
        feedStdin(process, spec.stdin());

        boolean timedOut = false;
        if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            timedOut = !cancelled.get();
            killTree(process);
            process.waitFor(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        finished.set(true);
        out.join(DRAIN_WAIT);
        err.join(DRAIN_WAIT);
        int exit = process.isAlive() ? -1 : process.exitValue();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.line("[" + (cancelled.get() ? "cancelled" : timedOut ? "timed out" : "exit " + exit)
                + " after " + took.toMillis() + " ms]");
        return new ProcessResult(exit, out.text(), out.truncated(), err.tail(), took, timedOut, cancelled.get());
    }

    private static Process start(ProcessBuilder builder, ProcessSpec spec) {
        try {
            return builder.start();
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            // error=2 ENOENT, error=13 EACCES: the program itself (the directory was checked above).
            if (msg.contains("error=2,") || msg.contains("error=13,") || msg.contains("No such file")) {
                throw new MissingBinaryException(spec.command().get(0), spec.binarySetting(), e);
            }
            throw new UncheckedIOException(e);
        }
    }

    private static void feedStdin(Process process, String stdin) {
        Thread t = new Thread(() -> {
            try (OutputStream os = process.getOutputStream()) {
                if (stdin != null) os.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process closed its stdin or died: its exit code tells the story
            }
        }, "process-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Kills the descendants first (so none is orphaned away from us), then the process itself. */
    static void killTree(Process process) {
        killTree(process.toHandle());
    }

    static void killTree(ProcessHandle root) {
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> tree = root.descendants().toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            root.destroyForcibly();
            if (tree.isEmpty()) return;
        }
    }

    /**
     * Serialised, append-only writer of the log file (or nowhere), bounded like the in-memory copy:
     * the first {@code head} bytes of the process's output go to disk as they come, then only the
     * last {@code tail} bytes are kept (in memory) and written, after a line counting the bytes
     * elided in between, before the next line of the service's own or at close.
     */
    static final class LogSink implements AutoCloseable {
        private final OutputStream os;
        private final long head;
        private final int tail;
        private long written;
        private byte[] ring;
        private int ringPos;
        private long overflow;

        private LogSink(OutputStream os, long head, int tail) {
            this.os = os;
            this.head = head;
            this.tail = tail;
        }

        static LogSink open(Path file) {
            return open(file, LOG_HEAD, LOG_TAIL);
        }

        static LogSink open(Path file, long head, int tail) {
            if (file == null) return new LogSink(null, head, tail);
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                return new LogSink(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), head, tail);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A line of the service's own (command, exit): always written, after the kept tail. */
        synchronized void line(String text) {
            flushTail();
            byte[] b = ("\n" + text + "\n").getBytes(StandardCharsets.UTF_8);
            raw(b, 0, b.length);
        }

        /** Output of the process: written while under the head bound, else kept in the tail ring. */
        synchronized void write(byte[] buf, int len) {
            if (os == null) return;
            int direct = (int) Math.max(0, Math.min(len, head - written));
            if (direct > 0) {
                raw(buf, 0, direct);
                written += direct;
            }
            for (int i = direct; i < len; ) {
                if (ring == null) ring = new byte[Math.max(1, tail)];
                int n = Math.min(len - i, ring.length - ringPos);
                System.arraycopy(buf, i, ring, ringPos, n);
                ringPos = (ringPos + n) % ring.length;
                overflow += n;
                i += n;
            }
        }

        private void flushTail() {
            if (overflow == 0 || ring == null) return;
            int kept = (int) Math.min(overflow, ring.length);
            byte[] marker = ("\n[... " + (overflow - kept) + " bytes elided: the run log keeps the first " + head
                    + " and the last " + tail + " bytes of output ...]\n").getBytes(StandardCharsets.UTF_8);
            raw(marker, 0, marker.length);
            int start = overflow >= ring.length ? ringPos : 0;
            int first = Math.min(kept, ring.length - start);
            raw(ring, start, first);
            if (kept > first) raw(ring, 0, kept - first);
            overflow = 0;
            ringPos = 0;
        }

        private void raw(byte[] buf, int off, int len) {
            if (os == null) return;
            try {
                os.write(buf, off, len);
                os.flush();
            } catch (IOException ignored) {
                // a failing log must not fail the run
            }
        }

        @Override
        public synchronized void close() {
            if (os == null) return;
            flushTail();
            try {
                os.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Copies one stream to the log and keeps either its head (stdout) or its tail (stderr). */
    static final class StreamPump {
        private final Thread thread;
        private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        private final int cap;
        private final boolean keepTail;
        private volatile boolean truncated;

        private final Consumer<String> lines;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        private StreamPump(InputStream in, LogSink log, int cap, String name, Consumer<String> lines) {
            this.cap = cap;
            this.lines = lines;
            this.keepTail = name.equals("stderr");
            this.thread = new Thread(() -> pump(in, log), "process-" + name);
            this.thread.setDaemon(true);
        }

        static StreamPump start(InputStream in, LogSink log, int cap, String name, Consumer<String> lines) {
            StreamPump p = new StreamPump(in, log, cap, name, lines);
            p.thread.start();
            return p;
        }

        private void pump(InputStream in, LogSink log) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    log.write(buf, n);
                    keep(buf, n);
                    if (lines != null) split(buf, n);
                }
            } catch (IOException ignored) {
                // stream closed by the kill
            }
            if (lines != null && line.size() > 0) deliver();
        }

        private void split(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') deliver();
                else if (line.size() < STDOUT_CAP) line.write(buf[i]);
            }
        }

        private void deliver() {
            String l = line.toString(StandardCharsets.UTF_8);
            line.reset();
            try {
                lines.accept(l);
            } catch (RuntimeException ignored) {
                // a listener bug must not stop the pump (the process would block on a full pipe)
            }
        }

        private synchronized void keep(byte[] buf, int n) {
            if (keepTail) {
                kept.write(buf, 0, n);
                if (kept.size() > cap * 2) {
                    byte[] all = kept.toByteArray();
                    kept.reset();
                    kept.write(all, all.length - cap, cap);
                }
            } else {
                int room = cap - kept.size();
                if (room > 0) kept.write(buf, 0, Math.min(room, n));
                if (n > room) truncated = true;
            }
        }

        void join(Duration wait) throws InterruptedException {
            thread.join(wait.toMillis());
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        synchronized String tail() {
            byte[] all = kept.toByteArray();
            int from = Math.max(0, all.length - cap);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        }

        boolean truncated() { return truncated; }
    }
}
