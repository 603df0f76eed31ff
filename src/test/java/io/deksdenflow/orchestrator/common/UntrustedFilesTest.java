package io.deksdenflow.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UntrustedFilesTest {
    @TempDir Path tmp;

    @Test
    void readsARegularFileUpToTheCap() throws Exception {
        Path f = Files.writeString(tmp.resolve("answer"), "0123456789");
        assertThat(UntrustedFiles.read(f, 100, "answer")).isEqualTo(new UntrustedFiles.Content("0123456789", false, 10));
        UntrustedFiles.Content cut = UntrustedFiles.read(f, 4, "answer");
        assertThat(cut.text()).isEqualTo("0123");
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.size()).isEqualTo(10);
        assertThatThrownBy(() -> UntrustedFiles.readWhole(f, 4, "the plan"))
                .isInstanceOfSatisfying(UntrustedContentException.class,
                        e -> assertThat(e.eventType()).isEqualTo(UntrustedContentException.UNSAFE_PATH))
                .hasMessageContaining("larger than 4 bytes");
        assertThatThrownBy(() -> UntrustedFiles.read(tmp.resolve("absent"), 4, "answer")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aLinkIsNeverFollowedWhereverItPoints() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.key"), "TOP-SECRET");
        for (Path target : new Path[] {secret, Path.of("/proc/self/environ"), Path.of("/dev/zero")}) {
            Path link = tmp.resolve("answer-" + target.getFileName());
            Files.createSymbolicLink(link, target);
            assertThatThrownBy(() -> UntrustedFiles.read(link, 1 << 20, "Codex's last-message file"))
                    .isInstanceOf(UntrustedContentException.class)
                    .hasMessageContaining("symbolic link").hasMessageNotContaining("TOP-SECRET");
        }
    }

    @Test
    void aFifoOrDirectoryIsRefusedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        CompletableFuture<Throwable> r = CompletableFuture.supplyAsync(() -> {
            try {
                UntrustedFiles.read(fifo, 1 << 20, "answer");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(r.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(UntrustedContentException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> UntrustedFiles.read(Files.createDirectory(tmp.resolve("dir")), 10, "answer"))
                .isInstanceOf(UntrustedContentException.class);
    }

    /**
     * Git rewrites its config by writing {@code config.lock} and renaming it over {@code config}; a
     * second protocol of the same project does that while this one's guard reads the file (the
     * scale-out check once failed a plan on it). A replacement by rename is looked at again, and the
     * read returns one whole version, never a refusal.
     */
    @Test
    void aFileReplacedByRenameWhileReadIsReadAgain() throws Exception {
        Path config = Files.writeString(tmp.resolve("config"), "[core]\n\tbare = false\n#0\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger renames = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; !stop.get(); i++) {
                    Path lock = Files.writeString(tmp.resolve("config.lock"), "[core]\n\tbare = false\n#" + i + "\n");
                    Files.move(lock, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    renames.incrementAndGet();
                    TimeUnit.MICROSECONDS.sleep(500);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        int reads = 0;
        try {
            while (renames.get() < 400) {
                String text = UntrustedFiles.readWhole(config, 1 << 20, "the git config");
                assertThat(text).matches("(?s)\\[core\\]\n\tbare = false\n#\\d+\n");
                reads++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(reads).isGreaterThan(400);
    }
}
