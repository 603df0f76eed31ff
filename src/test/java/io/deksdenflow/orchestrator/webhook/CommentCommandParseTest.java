package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.webhook.CommentCommands.Command;
import org.junit.jupiter.api.Test;

class CommentCommandParseTest {
    @Test
    void theFirstLineStartingWithTheCommandNamesTheAction() {
        assertThat(Command.parse("/deksdenflow pause")).contains(Command.PAUSE);
        assertThat(Command.parse("Looks fine.\r\n  /deksdenflow run_next_step please")).contains(Command.RUN_NEXT_STEP);
        assertThat(Command.parse("/deksdenflow OPEN_PR")).contains(Command.OPEN_PR);
        assertThat(Command.parse("/deksdenflow retry")).contains(Command.RETRY);
        assertThat(Command.parse("/deksdenflow approve\n/deksdenflow cancel")).contains(Command.APPROVE);
    }

    @Test
    void anythingElseIsNoCommand() {
        assertThat(Command.parse("please /deksdenflow pause")).isEmpty(); // not at the start of a line
        assertThat(Command.parse("> /deksdenflow cancel")).isEmpty(); // a quote of someone's command
        assertThat(Command.parse("/deksdenflowpause")).isEmpty();
        assertThat(Command.parse("/deksdenflow")).isEmpty();
        assertThat(Command.parse("/deksdenflow merge")).isEmpty();
        assertThat(Command.parse("")).isEmpty();
    }
}
