package dev.logpipe.devservices.junit;

import dev.logpipe.devservices.DevServices;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link WithDevServices}. */
public final class DevServicesExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DevServicesExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    shared(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DevServices.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  private static DevServices shared(ExtensionContext context) {
    Set<DevServices.Kind> wanted = requested(context);
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    synchronized (DevServicesExtension.class) {
      Holder holder = store.get(Holder.class, Holder.class);
      if (holder == null) {
        Path base =
            Path.of("target", "devservices-" + ProcessHandle.current().pid()).toAbsolutePath();
        holder = new Holder(DevServices.start(base, wanted));
        store.put(Holder.class, holder);
      } else {
        holder.services.ensure(wanted);
      }
      return holder.services;
    }
  }

  private static Set<DevServices.Kind> requested(ExtensionContext context) {
    Class<?> type = context.getRequiredTestClass();
    while (type != null) {
      WithDevServices annotation = type.getAnnotation(WithDevServices.class);
      if (annotation != null) {
        return annotation.value().length == 0
            ? EnumSet.noneOf(DevServices.Kind.class)
            : EnumSet.copyOf(List.of(annotation.value()));
      }
      type = type.getEnclosingClass();
    }
    return EnumSet.allOf(DevServices.Kind.class);
  }

  /** Stops the services when the root context closes (end of the test run in this JVM). */
  private record Holder(DevServices services) implements AutoCloseable {
    @Override
    public void close() {
      services.close();
    }
  }
}
