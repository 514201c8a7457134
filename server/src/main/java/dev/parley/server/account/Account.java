package dev.parley.server.account;

import java.util.Objects;

/**
 * A password account: the name as first registered and a PBKDF2 hash of its password. The password
 * itself is never kept.
 *
 * @param name the name as spelled when the account was made
 * @param salt 16 random bytes, one per account
 * @param hash PBKDF2-HMAC-SHA256 of the password with {@code salt}
 * @param iterations the PBKDF2 iteration count the hash was made with
 */
public record Account(String name, byte[] salt, byte[] hash, int iterations) {
  public Account {
    Objects.requireNonNull(name, "name");
    salt = salt.clone();
    hash = hash.clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public String toString() {
    return "Account[" + name + "]"; // never print hashes
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Account other
        && other.name.equals(name)
        && other.iterations == iterations
        && java.util.Arrays.equals(other.salt, salt)
        && java.util.Arrays.equals(other.hash, hash);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
