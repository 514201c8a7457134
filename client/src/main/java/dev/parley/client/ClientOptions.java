package dev.parley.client;

import dev.parley.cli.BadValueException;
import dev.parley.cli.OptionValues;
import dev.parley.cli.Setting;
import dev.parley.protocol.DefaultAddress;
import dev.parley.protocol.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The console client's command line: one {@link Setting} row per option (as the server's table),
 * read into {@link Arguments}. The client takes its options from the command line only; its
 * password may come from {@link #PASSWORD_VARIABLE}.
 */
final class ClientOptions {
  static final String PASSWORD_VARIABLE = "PARLEY_PASSWORD";

  private static final Setting<Object> CLASSROOM =
      Setting.onOff(
          "classroom",
          "take part in the two-client ordering exercise (server --mode classroom)",
          null);
  private static final Setting<Object> RELAY =
      Setting.onOff(
          "relay", "with --classroom: chat through the server after the acknowledgment", null);
  private static final Setting<Object> HOST =
      Setting.text("host", "HOST", "server address", DefaultAddress.HOST, null);
  private static final Setting<Object> PORT =
      Setting.whole("port", "PORT", "server port", DefaultAddress.PORT, 1, 65535, null);
  private static final Setting<Object> USER =
      Setting.text("user", "NAME", "name to sign in with; asked for when missing", null, null);
  private static final Setting<Object> PASSWORD_FILE =
      Setting.text(
          "password-file",
          "FILE",
          "read the account password from the first line of FILE (otherwise it is asked for at a"
              + " terminal, or taken from "
              + PASSWORD_VARIABLE
              + ")",
          null,
          null);
  private static final Setting<Object> TLS =
      Setting.onOff(
          "tls",
          "connect over TLS (the server's --tls-port), verifying its certificate and name",
          null);
  private static final Setting<Object> TLS_CA =
      Setting.text(
          "tls-ca",
          "FILE",
          "with --tls: also trust the PEM certificate(s) in FILE (a class's own CA)",
          null,
          null);
  private static final Setting<Object> RECONNECT =
      Setting.onOff(
          "reconnect",
          "when input is not a terminal: reconnect after a lost connection and resume (at a"
              + " terminal the client always does)",
          null);
  private static final Setting<Object> NO_COLOR =
      Setting.onOff("no-color", "no colours (as does the environment variable NO_COLOR)", null);

  private static final List<Setting<Object>> ROWS =
      List.of(CLASSROOM, RELAY, HOST, PORT, USER, PASSWORD_FILE, TLS, TLS_CA, RECONNECT, NO_COLOR);

  private static final String USAGE = "parley-client [options] [HOST [PORT [NAME]]]";
  private static final String FOOTER =
      "\nAfter sign-in, plain text is a message to everyone; /msg <name> <text> a direct"
          + " message; /list, /history [n], /quit, /help. Lines starting with C or D are sent as"
          + " typed (C PM, then D <text>). When input is not a terminal, each line is sent as"
          + " read and the client leaves after the last replies.";

  /** A command line that cannot be used; the message is one line. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * What the command line asked for; user, passwordFile and tlsCa may be null.
   *
   * @param classroom whether to take part in the classroom exercise instead of chatting
   * @param relay with {@code classroom}: whether to chat on after the acknowledgment
   */
  record Arguments(
      String host,
      int port,
      String user,
      Path passwordFile,
      boolean reconnect,
      boolean noColor,
      boolean tls,
      Path tlsCa,
      boolean classroom,
      boolean relay) {

    /**
     * Reads and checks a parsed command line: positional HOST PORT NAME, options that go together.
     */
    static Arguments from(CommandLine line) throws UsageException {
      List<String> positional = line.getArgList();
      if (positional.size() > 3) {
        throw new UsageException("too many arguments: " + String.join(" ", positional));
      }
      String host = pick(line, HOST, positional, 0);
      String portText = pick(line, PORT, positional, 1);
      String user = pick(line, USER, positional, 2);
      int port = ClientOptions.port(portText);
      if (host.isEmpty()) {
        throw new UsageException("the host is empty");
      }
      String problem = user == null ? null : Names.problem(user);
      if (problem != null) {
        throw new UsageException("invalid name '" + Display.neutralise(user) + "': " + problem);
      }
      String file = PASSWORD_FILE.text(line);
      String ca = TLS_CA.text(line);
      Arguments a =
          new Arguments(
              host,
              port,
              user,
              file == null ? null : Path.of(file),
              RECONNECT.given(line),
              NO_COLOR.given(line),
              TLS.given(line),
              ca == null ? null : Path.of(ca),
              CLASSROOM.given(line),
              RELAY.given(line));
      if (a.relay() && !a.classroom()) {
        throw new UsageException("--relay goes with --classroom");
      }
      if (a.tlsCa() != null && !a.tls()) {
        throw new UsageException("--tls-ca goes with --tls");
      }
      if (a.classroom() && a.tls()) {
        throw new UsageException("classroom mode is plain TCP; no --tls");
      }
      if (a.classroom() && (a.user() != null || a.passwordFile() != null)) {
        throw new UsageException("classroom mode asks for a name itself; no user or password");
      }
      return a;
    }

    /**
     * The password known before connecting: from --password-file, or from the environment when
     * there is no terminal to ask at; null to ask (or to have none).
     */
    String password(boolean interactive, Map<String, String> env) throws UsageException {
      if (passwordFile != null) {
        String first;
        try (BufferedReader in = Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8)) {
          first = in.readLine();
        } catch (IOException e) {
          throw new UsageException(
              "cannot read password file " + passwordFile + ": " + ChatClient.describe(e));
        }
        if (first == null || first.isEmpty()) {
          throw new UsageException(
              "password file " + passwordFile + " has no password on its first line");
        }
        return first;
      }
      if (interactive) {
        return null;
      }
      String fromEnvironment = env.get(PASSWORD_VARIABLE);
      return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
    }
  }

  private ClientOptions() {}

  static Options options() {
    Options options = new Options();
    ROWS.forEach(row -> options.addOption(row.option()));
    options.addOption(Option.builder().longOpt("version").desc("print the version").build());
    options.addOption(Option.builder().longOpt("help").desc("print this help").build());
    return options;
  }

  static void printHelp(PrintStream out) {
    PrintWriter writer = new PrintWriter(out, false, StandardCharsets.UTF_8);
    new HelpFormatter().printHelp(writer, 80, USAGE, "\nOptions:", options(), 2, 2, FOOTER, false);
    writer.flush();
  }

  /**
   * The option's value, else the positional argument at {@code index}, else the row's default; both
   * the option and the argument at once is an error.
   */
  private static String pick(
      CommandLine line, Setting<Object> row, List<String> positional, int index)
      throws UsageException {
    String fromOption = row.text(line);
    String fromPosition = positional.size() > index ? positional.get(index) : null;
    if (fromOption != null && fromPosition != null) {
      throw new UsageException(
          "the " + row.name() + " is given twice: --" + row.name() + " and " + fromPosition);
    }
    if (fromOption != null) {
      return fromOption;
    }
    return fromPosition != null ? fromPosition : row.defaultValue();
  }

  /** The same strict reading as the server's options, with the client's own message. */
  private static int port(String text) throws UsageException {
    try {
      return OptionValues.intIn(PORT.name(), text, (int) PORT.min(), (int) PORT.max());
    } catch (BadValueException e) {
      throw new UsageException(
          "bad port '" + text + "': expected a number from " + PORT.min() + " to " + PORT.max());
    }
  }
}
