package dev.parley.client;

import dev.parley.protocol.Names;
import java.time.Clock;
import java.time.Duration;

/**
 * How this session signs in and behaves.
 *
 * @param server "host:port", for messages
 * @param name the name to sign in with (already checked with {@link Names#problem})
 * @param password the password when it came from a file or the environment; null to ask
 * @param interactive a person at a terminal; false when input is a script
 * @param reconnect whether a lost connection is made again (always for a person)
 * @param clock the time of one's own messages, "today", and the time zone
 * @param colour whether lines are coloured
 * @param quietPeriod how long without any line from the server counts as "no more replies"
 * @param maxDrain once input has ended, the longest wait for owed replies before leaving
 * @param silenceLimit how long without any line from the server before the connection counts as
 *     lost (the client pings at half of it; a live server answers and pings idle clients itself)
 * @param firstRetry the shortest wait before reconnecting; the waits double up to 30 s
 * @param steadyAfter how long a signed-in connection must hold for its loss to start the waits
 *     again from {@code firstRetry}
 * @param greetingHint how long without the server's greeting before a first plain connection says
 *     the port may be a TLS one
 * @param greetingLimit how long without the server's greeting before the connection is given up
 */
record SessionSettings(
    String server,
    String name,
    String password,
    boolean interactive,
    boolean reconnect,
    Clock clock,
    boolean colour,
    Duration quietPeriod,
    Duration maxDrain,
    Duration silenceLimit,
    Duration firstRetry,
    Duration steadyAfter,
    Duration greetingHint,
    Duration greetingLimit) {}
