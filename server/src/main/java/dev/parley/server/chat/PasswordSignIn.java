package dev.parley.server.chat;

import dev.parley.net.Pause;
import dev.parley.net.ProbingPeer;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerLine;
import dev.parley.server.account.Account;
import dev.parley.server.account.Accounts;
import dev.parley.server.account.PasswordChecks;
import dev.parley.server.account.SignInThrottle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password steps of one connection's sign-in when accounts are on: the name asked for and its
 * account, the throttle's word on it, the password check (input paused while it waits or runs), and
 * the time spent waiting for checks, which the sign-in deadline excuses up to a cap. The session
 * keeps the states and sends the answers; this decides what they are. Loop thread only.
 */
final class PasswordSignIn {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordSignIn.class);

  /**
   * Waiting for password checks is not held against the sign-in deadline up to this much in all;
   * beyond it, it is: a connection cannot wait in the check queue for ever.
   */
  static final long MAX_EXCUSED_CHECKING_NANOS = 30_000_000_000L;

  /** How a password step ended: signed in, or refused with {@code C RETRY}. */
  sealed interface Verdict permits Accepted, Refused {}

  /**
   * The password is right.
   *
   * @param asked the name as the client spelled it in {@code C NICK}
   * @param name the name others will see: the account's spelling when it existed already
   */
  record Accepted(String asked, String name) implements Verdict {}

  /** Refused: the client starts again at {@code C NICK}. */
  record Refused(ErrorCode code, String reason) implements Verdict {}

  private final ProbingPeer connection;
  private final Accounts accounts;
  private final LongSupplier clock; // the loop's: nanos, the same for every line of an iteration
  private final RoomStats stats; // counts wrong passwords and lock-outs
  private String candidate; // the name being signed in with while a password is asked
  private Account account; // the existing account being signed in to, or null for a new one
  private PasswordChecks.Check<?> check; // the password check waiting or running, or null
  private boolean waiting; // a check was started and neither answered nor cancelled
  private long checkingSince; // nanos; when the current password check began
  private long checkingTotal; // nanos spent waiting for earlier password checks

  PasswordSignIn(ProbingPeer connection, Accounts accounts, LongSupplier clock, RoomStats stats) {
    this.connection = connection;
    this.accounts = accounts;
    this.clock = clock;
    this.stats = stats;
  }

  /** A refusal when guesses at {@code wanted} from this address are locked out; else null. */
  Refused lockedOut(String wanted) {
    PasswordChecks.Refusal lockout = accounts.lockout(wanted, address());
    return lockout == null ? null : refuse(ErrorCode.TOO_MANY_ATTEMPTS, reasonFor(lockout));
  }

  /** Starts the password step for {@code wanted}: what kind of password to ask for. */
  ServerLine.PasswordKind ask(String wanted) {
    candidate = wanted;
    account = accounts.find(wanted);
    return account == null ? ServerLine.PasswordKind.NEW : ServerLine.PasswordKind.EXISTING;
  }

  /** Why {@code password} is not checked at all, or null when a check may start. */
  Refused refusal(String password) {
    PasswordChecks.Refusal refusal = accounts.refusal(candidate, address());
    if (refusal != null) {
      return refuse(ErrorCode.TOO_MANY_ATTEMPTS, reasonFor(refusal));
    }
    if (account == null && password.isEmpty()) {
      return refuse(ErrorCode.INVALID_NAME, "a new account needs a password that is not empty");
    }
    return null;
  }

  /**
   * Checks {@code password} off the loop, reading nothing more meanwhile; {@code done} gets the
   * verdict, in turn, unless {@link #cancel} came first.
   */
  void check(String password, Consumer<Verdict> done) {
    connection.pause(Pause.PASSWORD_CHECK);
    checkingSince = clock.getAsLong();
    waiting = true;
    // Asked before the check starts, and before a new account is stored: a client that hung up
    // costs no hashing and leaves no account behind.
    String from = address();
    Consumer<Accounts.Outcome> finished = outcome -> finished(outcome, done);
    check =
        account == null
            ? accounts.register(candidate, password, from, connection::probeGone, finished)
            : accounts.verify(account, password, from, connection::probeGone, finished);
  }

  private void finished(Accounts.Outcome outcome, Consumer<Verdict> done) {
    check = null;
    if (!waiting) {
      return; // gone, or the server began shutting down while the password was checked
    }
    waiting = false;
    checkingTotal += clock.getAsLong() - checkingSince;
    done.accept(verdict(outcome));
    connection.resume(Pause.PASSWORD_CHECK);
  }

  /** What a finished check means for the client. */
  Verdict verdict(Accounts.Outcome outcome) {
    return switch (outcome) {
      case CREATED -> {
        LOG.info("account {} created", candidate);
        yield new Accepted(candidate, candidate);
      }
      case RIGHT -> new Accepted(candidate, account == null ? candidate : account.name());
      case WRONG -> {
        LOG.info("wrong password for {} from {}", candidate, connection.remoteAddress());
        yield refuse(ErrorCode.WRONG_PASSWORD, "wrong password");
      }
      case TAKEN ->
          refuse(ErrorCode.NAME_TAKEN, candidate + " was just registered by someone else");
      case FAILED -> // a RETRY, like every other refused sign-in: the client starts again at C NICK
          refuse(ErrorCode.STORE_FAILED, "the account could not be stored; try again");
      case LOCKED -> locked();
    };
  }

  /** The sign-in ended, signed in or refused: the name and account asked about are let go. */
  void forget() {
    candidate = null;
    account = null;
  }

  /** The connection is leaving: a password check it still waits for is not made for nobody. */
  void cancel() {
    waiting = false;
    if (check != null) {
      check.cancel();
      check = null;
    }
  }

  /**
   * How much of the time since connecting the sign-in deadline excuses: the time spent waiting for
   * password checks, this one included, up to {@link #MAX_EXCUSED_CHECKING_NANOS}.
   */
  long excusedNanos(long now) {
    long checking = checkingTotal + (waiting ? now - checkingSince : 0);
    return Math.min(checking, MAX_EXCUSED_CHECKING_NANOS);
  }

  static String reasonFor(PasswordChecks.Refusal refusal) {
    return switch (refusal) {
      case ADDRESS_BUSY -> "too many sign-ins from your address are waiting; try again shortly";
      case SERVER_BUSY -> "the server is busy checking passwords; try again shortly";
      case SERVER_LIMITED ->
          "too many failed sign-ins on this server just now; try again in a minute";
      default -> ErrorCode.TOO_MANY_ATTEMPTS.defaultReason();
    };
  }

  /** A refusal, counted: the session answers every one with {@code C RETRY} at once. */
  private Refused refuse(ErrorCode code, String reason) {
    stats.signInRefused(code);
    return new Refused(code, reason);
  }

  private Refused locked() {
    return refuse(ErrorCode.TOO_MANY_ATTEMPTS, ErrorCode.TOO_MANY_ATTEMPTS.defaultReason());
  }

  /**
   * The remote host as the sign-in throttle counts it ({@link SignInThrottle#addressKey}: an IPv6
   * host by its /64). Made when asked rather than kept: only password sign-ins need it, and a
   * string per idle connection would be memory for nothing.
   */
  private String address() {
    SocketAddress remote = connection.remoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return SignInThrottle.addressKey(inet.getAddress());
    }
    return String.valueOf(remote);
  }
}
