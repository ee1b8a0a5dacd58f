package dev.logpipe.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.model.CredentialRotation;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 14's rotation: the request value is the tenant's (any string on the
 * LogPipeline) and the operator logs it ({@code event=credentials_rotated ... request="<value>"},
 * up to 63 characters). The formatter escapes '\n', '"' and '\' but passes other control characters
 * through: a carriage return starts a new line for any reader that splits on it (and overwrites the
 * line on a terminal), and an ANSI escape sequence reaches whoever runs {@code kubectl logs}. One
 * event per line means no raw control character in the line.
 */
class KeyValueLogFormatterControlCharsTest {
  @Test
  void aTenantsRequestValueCannotPutAControlCharacterIntoTheOperatorsLog() {
    String value = "x\rts=2026 level=INFO msg=\"event=redis_user_deleted\"\u001b[2K";
    LogRecord record =
        new LogRecord(
            Level.INFO,
            "event=credentials_rotated secret=app-credentials request=\""
                + CredentialRotation.shown(value)
                + "\"");
    record.setLoggerName("dev.logpipe.operator.dependent.CredentialsSecretDependentResource");

    String line = new KeyValueLogFormatter().format(record);
    String body = line.substring(0, line.length() - System.lineSeparator().length());

    assertThat(body.chars().filter(Character::isISOControl).count())
        .as(
            "raw control characters in the log line %s",
            body.replace("\r", "<CR>").replace("\u001b", "<ESC>"))
        .isZero();
  }
}
