package io.deksdenflow.orchestrator.secrets;

import io.deksdenflow.orchestrator.config.Settings;
import java.security.SecureRandom;
import java.util.Base64;

/** Ciphers for tests that build stores without Spring. */
public final class SecretsTesting {
    private SecretsTesting() {}

    public static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    public static SecretsCipher cipher(String base64Key) {
        Settings settings = new Settings();
        settings.setSecretsKey(base64Key);
        return new SecretsCipher(new SecretsKey(settings));
    }
}
