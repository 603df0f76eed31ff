package io.deksdenflow.orchestrator.secrets;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Start-up fails, naming DEKSDENFLOW_SECRETS_KEY, when the configured key is not the one the
 * database's secrets were encrypted with (the check value written by {@link EncryptSecretsMigration}
 * does not decrypt). Runs after the migrations: the JDBC template waits for Flyway.
 */
@Component
public class SecretsKeyCheck {
    SecretsKeyCheck(NamedParameterJdbcTemplate jdbc, SecretsCipher cipher) {
        verify(jdbc, cipher);
    }

    public static void verify(NamedParameterJdbcTemplate jdbc, SecretsCipher cipher) {
        List<String> values = jdbc.queryForList("SELECT check_value FROM secrets_key_check WHERE id = 1", Map.of(), String.class);
        if (values.isEmpty()) {
            jdbc.update("INSERT INTO secrets_key_check (id, check_value) VALUES (1, :v)",
                    Map.of("v", cipher.encrypt(EncryptSecretsMigration.CHECK_PLAINTEXT)));
            return;
        }
        String plain;
        try {
            plain = cipher.decrypt(values.get(0));
        } catch (SecretsCipher.WrongKeyException e) {
            throw new IllegalStateException("wrong secrets key: " + e.getMessage(), e);
        }
        if (!EncryptSecretsMigration.CHECK_PLAINTEXT.equals(plain)) {
            throw new IllegalStateException("wrong secrets key: the key check value does not match; "
                    + "set DEKSDENFLOW_SECRETS_KEY to the key this database was created with");
        }
    }
}
