package io.deksdenflow.orchestrator.secrets;

import io.deksdenflow.orchestrator.testsupport.TestSettings;
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
        TestSettings settings = new TestSettings();
        settings.setSecretsKey(base64Key);
        return new SecretsCipher(new SecretsKey(settings.secrets(), settings.workspace(), settings.database()));
    }
}
