package io.deksdenflow.orchestrator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real git repositories for tests: a bare origin over file:// and a git runner for assertions. */
public final class TestRepos {
    private TestRepos() {}

    /**
     * Creates {@code <dir>/origin.git}, a bare repository whose {@code main} holds one commit
     * (README.md), and returns its {@code file://} URL.
     */
    public static String bareOrigin(Path dir) {
        Path origin = dir.resolve("origin.git");
        Path seed = dir.resolve("origin-seed");
        git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin.toString());
        git(dir, "init", "--quiet", "--initial-branch=main", seed.toString());
        write(seed.resolve("README.md"), "# demo\n");
        git(seed, "add", "-A");
        git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.test", "commit", "--quiet", "-m", "initial commit");
        git(seed, "push", "--quiet", origin.toUri().toString(), "main");
        return origin.toUri().toString();
    }

    /** The bare repository path of a URL made by {@link #bareOrigin}. */
    public static Path originPath(String fileUrl) {
        return Path.of(java.net.URI.create(fileUrl));
    }

    /** Runs git in {@code dir}; fails the test on a non-zero exit; returns stdout. */
    public static String git(Path dir, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("git");
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("git timed out: " + argv);
            if (p.exitValue() != 0) throw new IllegalStateException("git failed: " + argv + "\n" + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs git against a bare repository: {@code git --git-dir=<bare> args...}. */
    public static String gitBare(Path bare, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--git-dir=" + bare;
        System.arraycopy(args, 0, all, 1, args.length);
        return git(bare.getParent(), all);
    }

    /**
     * Commits {@code file} = {@code text} on origin's {@code main} as a person would push it (a clone under {@code parent},
     * commit "base: change {@code file}", push); returns the new head.
     */
    public static String pushToMain(Path parent, String url, String file, String text) {
        try {
            Path dir = Files.createTempDirectory(parent, "person");
            git(dir, "clone", "--quiet", url, "w");
            Path w = dir.resolve("w");
            write(w.resolve(file), text);
            git(w, "add", "-A");
            git(w, "-c", "user.name=Person", "-c", "user.email=person@example.test", "commit", "--quiet", "-m",
                    "base: change " + file);
            git(w, "push", "--quiet", "origin", "main");
            return git(w, "rev-parse", "HEAD").strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
