package dev.logpipe.operator.dependent;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lets JOSDK build dependents that take collaborators (admin clients, the worker image) through
 * their constructors; dependents without an entry are built the default way.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class LogpipeDependentResourceFactory
    implements DependentResourceFactory<
        ControllerConfiguration<?>, DependentResourceSpec<?, ?, ?>> {
  private final Map<Class<?>, Supplier<DependentResource<?, ?>>> suppliers;

  public LogpipeDependentResourceFactory(
      Map<Class<?>, Supplier<DependentResource<?, ?>>> suppliers) {
    this.suppliers = Map.copyOf(suppliers);
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec<?, ?, ?> spec, ControllerConfiguration<?> configuration) {
    Supplier<DependentResource<?, ?>> supplier = suppliers.get(spec.getDependentResourceClass());
    if (supplier == null) {
      return DependentResourceFactory.super.createFrom(spec, configuration);
    }
    DependentResource dependent = supplier.get();
    configure(dependent, spec, configuration);
    return dependent;
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec<?, ?, ?> spec) {
    Supplier<DependentResource<?, ?>> supplier = suppliers.get(spec.getDependentResourceClass());
    return supplier == null
        ? DependentResourceFactory.super.associatedResourceType(spec)
        : supplier.get().resourceType();
  }
}
