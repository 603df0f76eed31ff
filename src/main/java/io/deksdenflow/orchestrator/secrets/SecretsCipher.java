package io.deksdenflow.orchestrator.secrets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM (Spring Security Crypto) over text: {@code enc:v1:<base64(iv ‖ ciphertext ‖ tag)>},
 * a fresh 96-bit IV per value. Decrypting with another key fails (the GCM tag does not verify).
 */
@Component
public class SecretsCipher {
    static final String PREFIX = "enc:v1:";
    private static final int IV_BYTES = 12;

    private final SecretsKey key;
    private final BytesEncryptor aes;

    public SecretsCipher(SecretsKey key) {
        this.key = key;
        this.aes = new AesBytesEncryptor(key.secretKey(), KeyGenerators.secureRandom(IV_BYTES),
                AesBytesEncryptor.CipherAlgorithm.GCM);
    }

    /** The key file to hide from agents (empty when the key comes from DEKSDENFLOW_SECRETS_KEY). */
    public Optional<Path> keyFile() { return key.keyFile(); }

    public static boolean isCiphertext(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    public String encrypt(String plaintext) {
        byte[] sealed = aes.encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
        return PREFIX + Base64.getEncoder().encodeToString(sealed);
    }

    /** The plaintext of a value {@link #encrypt} made; throws {@link WrongKeyException} when the key differs. */
    public String decrypt(String stored) {
        if (!isCiphertext(stored)) throw new IllegalArgumentException("not an encrypted value");
        try {
            byte[] sealed = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            return new String(aes.decrypt(sealed), StandardCharsets.UTF_8);
        } catch (RuntimeException e) { // bad tag (another key), truncated or malformed value
            throw new WrongKeyException("encrypted secrets cannot be decrypted with " + key.source()
                    + ": it is not the key they were encrypted with (set DEKSDENFLOW_SECRETS_KEY to the original key)", e);
        }
    }

    /** The configured key does not open the stored secrets. */
    public static class WrongKeyException extends IllegalStateException {
        WrongKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
