package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.sdk.CommandJournal.State;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandJournalTest {

  @TempDir Path dir;

  @Test
  void outcomesSurviveARestartWithTheirMessages() {
    Path file = dir.resolve("bot.key.journal");
    CommandJournal journal = CommandJournal.onDisk(file, "bot-1");
    journal.started(1, "c-1", "pause");
    journal.finished(1, "c-1", "pause", State.DONE, "");
    journal.finished(2, "c-2", "update_version", State.FAILED, "download failed:\n\ttimeout");
    journal.started(3, "c-3", "slow");

    CommandJournal reread = CommandJournal.onDisk(file, "bot-1");
    assertThat(reread.find(1)).get().extracting(CommandJournal.Entry::state).isEqualTo(State.DONE);
    assertThat(reread.find(2).orElseThrow().message()).isEqualTo("download failed:\n\ttimeout");
    assertThat(reread.find(3).orElseThrow().state()).isEqualTo(State.STARTED);
    assertThat(reread.find(4)).isEmpty();
  }

  @Test
  void aJournalOfAnotherIdentityIsSetAsideNotUsed() {
    Path file = dir.resolve("bot.key.journal");
    CommandJournal old = CommandJournal.onDisk(file, "bot-old");
    old.finished(1, "c-1", "pause", State.DONE, "");

    CommandJournal fresh = CommandJournal.onDisk(file, "bot-new");
    assertThat(fresh.find(1)).isEmpty();
    assertThat(dir.resolve("bot.key.journal.old")).exists();
  }

  @Test
  void onlyTheLastThousandSequencesAreKeptAndOlderOnesAreKnownToBeOld() {
    CommandJournal journal = CommandJournal.inMemory("bot-1");
    for (long sequence = 1; sequence <= CommandJournal.RETAINED + 5; sequence++) {
      journal.finished(sequence, "c-" + sequence, "noted", State.DONE, "");
    }
    assertThat(journal.find(5)).isEmpty();
    assertThat(journal.forgotten(5)).isTrue();
    assertThat(journal.forgotten(6)).isFalse();
    assertThat(journal.find(6)).isPresent();
  }
}
