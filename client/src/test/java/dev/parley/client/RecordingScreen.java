package dev.parley.client;

import java.util.ArrayList;
import java.util.List;

/** A {@link Screen} that keeps what it was given, for tests of the session's parts. */
final class RecordingScreen implements Screen {
  final List<String> shown = new ArrayList<>();
  final List<String> failed = new ArrayList<>();

  @Override
  public void show(String text) {
    shown.add(text);
  }

  @Override
  public void fail(String text) {
    failed.add(text);
  }

  /** A transcript over this screen: no colours, times at {@link ClientRun#CLOCK}. */
  Transcript transcript() {
    return new Transcript(this, new Display(ClientRun.CLOCK, false), ClientRun.CLOCK);
  }
}
