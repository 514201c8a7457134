package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The error codes of protocol section 8, and the exception that carries one. */
class ErrorCodeTest {

  @Test
  void codesAreExactlyThoseOfTheProtocolInOrder() {
    int[] codes = Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::code).toArray();
    assertArrayEquals(
        new int[] {400, 401, 403, 404, 405, 409, 412, 413, 422, 429, 500, 503}, codes);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "400 | MALFORMED         | malformed line",
        "401 | WRONG_PASSWORD    | wrong password",
        "403 | NOT_IN_ROOM       | not in that room",
        "404 | NOT_ONLINE        | no such user online",
        "405 | TOO_MANY_ROOMS    | too many rooms",
        "409 | NAME_TAKEN        | name already in use",
        "412 | NOT_EXPECTED      | line not expected in this state",
        "413 | LINE_TOO_LONG     | line too long",
        "422 | INVALID_NAME      | invalid name",
        "429 | TOO_MANY_ATTEMPTS | too many failed sign-ins; wait before trying again",
        "500 | STORE_FAILED      | the server could not store the message; it was not sent",
        "503 | SERVER_FULL       | server full",
      })
  void ofFindsEachCodeWithItsDefaultReason(int code, ErrorCode expected, String reason) {
    assertSame(expected, ErrorCode.of(code));
    assertEquals(code, expected.code());
    assertEquals(reason, expected.defaultReason());
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void ofIsTheInverseOfCode(ErrorCode code) {
    assertSame(code, ErrorCode.of(code.code()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -400, 200, 402, 406, 418, 499, 501, 504, 4000, Integer.MAX_VALUE})
  void ofIsNullForACodeTheProtocolDoesNotDefine(int code) {
    assertNull(ErrorCode.of(code));
  }

  @Test
  void protocolExceptionCarriesCodeAndReason() {
    ProtocolException e = new ProtocolException(ErrorCode.NOT_ONLINE, "carol is not online");
    assertSame(ErrorCode.NOT_ONLINE, e.code());
    assertEquals("carol is not online", e.reason());
    assertEquals("carol is not online", e.getMessage());
  }

  @Test
  void protocolExceptionHasNoStackTrace() {
    // Raised once per bad line from any client, so it must be cheap.
    ProtocolException e = new ProtocolException(ErrorCode.MALFORMED, "x");
    assertEquals(0, e.getStackTrace().length);
  }
}
