package dev.logpipe.devservices.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs running a main class of this module, with this module's runtime
 * classpath (written at build time into META-INF/logpipe/devservices.classpath).
 */
public final class ChildJvm {
  private static final String CLASSPATH_RESOURCE = "/META-INF/logpipe/devservices.classpath";

  private ChildJvm() {}

  public static List<String> command(List<String> jvmArgs, Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass.getName());
    command.addAll(args);
    return command;
  }

  static String classpath() {
    String own;
    try {
      own =
          Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate devservices classes", e);
    }
    try (InputStream in = ChildJvm.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CLASSPATH_RESOURCE + " missing: build the devservices module with Maven first");
      }
      String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return own + java.io.File.pathSeparator + dependencies;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
