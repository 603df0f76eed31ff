package io.deksdenflow.orchestrator.secrets;

import io.deksdenflow.orchestrator.engine.HiddenPaths;
import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The AES-256 key that encrypts secrets at rest: DEKSDENFLOW_SECRETS_KEY (base64 of 32 bytes), else
 * the key file (DEKSDENFLOW_SECRETS_KEY_FILE, default beside the SQLite file or, on PostgreSQL, in
 * the workspace's parent directory), generated with mode 0600 at first start.
 */
@Component
public class SecretsKey implements HiddenPaths {
    private static final Logger log = LoggerFactory.getLogger(SecretsKey.class);
    static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKey key;
    private final Path keyFile;
    private final Path unusedKeyFile;

    public SecretsKey(SecretsSettings settings, WorkspaceSettings files, DatabaseSettings database) {
        String inline = settings.secretsKey();
        if (!inline.isEmpty()) {
            this.key = decode(inline, "DEKSDENFLOW_SECRETS_KEY");
            this.keyFile = null;
            this.unusedKeyFile = defaultKeyFile(settings, files, database);
            log.info("secrets key: DEKSDENFLOW_SECRETS_KEY");
        } else {
            this.keyFile = defaultKeyFile(settings, files, database);
            this.unusedKeyFile = null;
            this.key = loadOrCreate(keyFile);
            log.info("secrets key: file {}", keyFile);
        }
    }

    /**
     * The file holding the key, when the key comes from a file (empty with DEKSDENFLOW_SECRETS_KEY).
     * Agents must never see it: the sandbox hides this path.
     */
    public Optional<Path> keyFile() { return Optional.ofNullable(keyFile); }

    /** The key file is never visible to an agent's sandbox. */
    @Override
    public java.util.Collection<Path> hiddenFromAgents() { return keyFile().map(java.util.List::of).orElse(java.util.List.of()); }

    /** Where the key is configured, for error messages. */
    public String source() {
        if (keyFile != null) return "the key file " + keyFile + " (DEKSDENFLOW_SECRETS_KEY_FILE)";
        return unusedKeyFile != null && Files.exists(unusedKeyFile)
                ? "DEKSDENFLOW_SECRETS_KEY (the key file " + unusedKeyFile + " exists too: was the database encrypted with it?)"
                : "DEKSDENFLOW_SECRETS_KEY";
    }

    SecretKey secretKey() { return key; }

    /** DEKSDENFLOW_SECRETS_KEY_FILE, else {@code <sqlite file>.key}, else {@code <workspace>/../secrets.key}. */
    static Path defaultKeyFile(SecretsSettings settings, WorkspaceSettings files, DatabaseSettings database) {
        String configured = settings.secretsKeyFile();
        if (!configured.isEmpty()) return Path.of(configured).toAbsolutePath().normalize();
        return database.sqliteFile()
                .map(db -> db.resolveSibling(db.getFileName() + ".key"))
                .orElseGet(() -> {
                    Path workspace = files.workspaceDir();
                    Path parent = workspace.getParent() == null ? workspace : workspace.getParent();
                    return parent.resolve("secrets.key");
                });
    }

    static SecretKey loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) create(file);
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(perms)) {
                    log.warn("secrets key file {} is readable by others ({}); it should be mode 0600", file,
                            PosixFilePermissions.toString(perms));
                }
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), "the key file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key file " + file
                    + " (DEKSDENFLOW_SECRETS_KEY_FILE): " + e.getMessage(), e);
        }
    }

    /** Writes a fresh key to a private temp file, then links it into place; a concurrent starter's key wins. */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] raw = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(raw);
        Path tmp = Files.createTempFile(dir, ".secrets-key", ".tmp");
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            Files.writeString(tmp, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
                log.info("generated a new secrets key in {} (mode 0600); back it up with the database", file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static SecretKey decode(String base64, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " must be the base64 encoding of 32 random bytes "
                    + "(e.g. `openssl rand -base64 32`); it is not valid base64");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalStateException(source + " must be the base64 encoding of 32 random bytes "
                    + "(e.g. `openssl rand -base64 32`); it decodes to " + raw.length + " bytes");
        }
        return new SecretKeySpec(raw, "AES");
    }
}
