package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.account.Account;
import java.util.List;

/**
 * Where accepted messages and password accounts are kept. Implementations may block (disk), so the
 * loop never calls them directly except through a {@link StoreWriter} made for them. Calls come
 * from one thread at a time.
 */
public interface Store extends AutoCloseable {

  /** The highest seq ever stored, or 0 for an empty store; the sequencer continues after it. */
  long lastSeq() throws StoreException;

  /**
   * The name of this history (a word of 1 to 64 {@code [A-Za-z0-9_-]}): the same for as long as seq
   * keeps counting from where it was, new whenever history starts again.
   */
  String epoch() throws StoreException;

  /**
   * Whether the server storing messages runs with accounts. A DM appended while it does belongs to
   * its two accounts; one appended while names were owned by nobody belongs to no account, whoever
   * registers the name later. Off until set; set before the first append.
   */
  void setAccountsOn(boolean on);

  /**
   * Stores a batch atomically: all of it or none of it. A message with a room ({@link
   * ChatMessage#room}) goes to that room's history, whose room {@link #openRoom} made; the others
   * to {@code #main}'s.
   */
  void append(List<ChatMessage> batch) throws StoreException;

  /** The last {@code n} public messages, oldest first. */
  List<ChatMessage> recentPublic(int n) throws StoreException;

  /**
   * The last {@code n} messages the account {@code name} may see, oldest first: every public
   * message and the DMs it sent or received while accounts were on, from all time (accounts only).
   */
  List<ChatMessage> visibleTo(String name, int n) throws StoreException;

  /** At most {@code n} public messages with seq greater than {@code afterSeq}, oldest first. */
  List<ChatMessage> publicSince(long afterSeq, int n) throws StoreException;

  /**
   * At most {@code n} messages with seq greater than {@code afterSeq} that the account {@code name}
   * may see ({@link #visibleTo}), oldest first.
   */
  List<ChatMessage> visibleSince(String name, long afterSeq, int n) throws StoreException;

  /**
   * The room {@code name} names in any case: its record as stored, or a new one (this spelling, a
   * new epoch, no messages, no topic) stored now when there is none.
   */
  default RoomRecord openRoom(String name) throws StoreException {
    throw new StoreException("this store keeps no rooms");
  }

  /** Sets the topic of the room {@code room} names in any case (which {@link #openRoom} made). */
  default void setTopic(String room, String setter, String text) throws StoreException {
    throw new StoreException("this store keeps no rooms");
  }

  /** The last {@code n} messages of the room {@code room} names in any case, oldest first. */
  default List<ChatMessage> roomRecent(String room, int n) throws StoreException {
    throw new StoreException("this store keeps no rooms");
  }

  /** At most {@code n} messages of a room with seq greater than {@code afterSeq}, oldest first. */
  default List<ChatMessage> roomSince(String room, long afterSeq, int n) throws StoreException {
    throw new StoreException("this store keeps no rooms");
  }

  /** Every password account (accounts are few and small, so the loop keeps them all). */
  List<Account> loadAccounts() throws StoreException;

  /** Stores a new account; fails if one with the same case-folded name exists. */
  void createAccount(Account account) throws StoreException;

  @Override
  void close() throws StoreException;
}
