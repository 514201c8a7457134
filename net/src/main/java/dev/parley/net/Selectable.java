package dev.parley.net;

import java.io.IOException;

/** What a {@link java.nio.channels.SelectionKey} is attached to. Loop thread only. */
public interface Selectable {

  /** Handles the key's ready operations; an exception closes this channel only. */
  void onSelected(int readyOps) throws IOException;

  /** Called when {@link #onSelected} threw: release this channel and nothing else. */
  void onFailure(Throwable cause);
}
