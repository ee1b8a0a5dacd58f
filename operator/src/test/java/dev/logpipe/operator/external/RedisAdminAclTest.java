package dev.logpipe.operator.external;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.cache.RedisCommandsUsed;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisAdminAclTest {
  @Test
  void rulesGrantOnlyThePrefixAndTheListedCommandsInTheOrderRedisAppliesThem() {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
    RedisAdmin.pipelineUserAcl("pw", "logpipe:ns:a:", List.of(CommandType.GET, CommandType.SET))
        .build(args);

    assertThat(args.toCommandString())
        .isEqualTo(
            "ON RESETPASS >pw RESETKEYS ~logpipe:ns:a:recent:* ~logpipe:ns:a:counts:*"
                + " ~logpipe:ns:a:anomalies ~logpipe:ns:a:services ~logpipe:ns:a:query:*"
                + " RESETCHANNELS NOCOMMANDS +GET +SET");
  }

  @Test
  void theWorkerAndGatewayCommandListHoldsNoAdministrativeCommand() {
    assertThat(RedisCommandsUsed.all())
        .containsExactly(
            CommandType.LPUSH,
            CommandType.LTRIM,
            CommandType.EXPIRE,
            CommandType.HSET,
            CommandType.HINCRBY,
            CommandType.XADD,
            CommandType.GET,
            CommandType.SET);
  }
}
