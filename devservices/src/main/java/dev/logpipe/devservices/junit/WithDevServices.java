package dev.logpipe.devservices.junit;

import dev.logpipe.devservices.DevServices;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts the listed real services once per test JVM (shared by every test class that asks for them;
 * started on first use, stopped when the JVM's tests end) and injects {@link DevServices} into test
 * constructors, lifecycle methods and test methods.
 *
 * <p>Tests that kill or stop a service must start their own {@link DevServices} instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DevServicesExtension.class)
public @interface WithDevServices {
  DevServices.Kind[] value() default {
    DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS
  };
}
