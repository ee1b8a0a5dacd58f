package dev.logpipe.devservices.process;

import java.nio.file.Path;

/**
 * The home folder as bin/setup sees it: {@code $HOME}, where it installs chDB, kubectl and the
 * control plane. Java's {@code user.home} comes from the password entry instead, so a run with
 * another {@code $HOME} (a fresh machine tried in a temporary folder) would look elsewhere.
 */
public final class UserHome {
  private UserHome() {}

  public static Path path() {
    String home = System.getenv("HOME");
    return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
  }
}
