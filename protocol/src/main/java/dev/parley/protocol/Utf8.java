package dev.parley.protocol;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). The
 * JDK's String constructor would silently replace bad bytes; the protocol answers them with 400.
 */
final class Utf8 {
  private Utf8() {}

  static boolean isValid(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      int need;
      int min = 0x80;
      int max = 0xBF; // bounds of the second byte; later bytes are always 80..BF
      if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        if (b == 0xE0) {
          min = 0xA0; // below is an overlong form
        } else if (b == 0xED) {
          max = 0x9F; // above are UTF-16 surrogates
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        if (b == 0xF0) {
          min = 0x90;
        } else if (b == 0xF4) {
          max = 0x8F; // above is past U+10FFFF
        }
      } else {
        return false;
      }
      if (end - i <= need) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < min || second > max) {
        return false;
      }
      for (int k = 2; k <= need; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += need + 1;
    }
    return true;
  }
}
