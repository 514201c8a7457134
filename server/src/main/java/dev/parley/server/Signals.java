package dev.parley.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on a POSIX signal ({@code HUP} for a certificate reload). The JDK's only way is
 * {@code sun.misc.Signal} (module jdk.unsupported, there to stay for this use); it is reached
 * reflectively because javac flags any compiled reference to it, and the build treats warnings as
 * errors.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Runs {@code action} on a JVM signal thread whenever {@code name} arrives; logs if it cannot.
   */
  static void on(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      InvocationHandler call =
          (Object proxy, Method method, Object[] args) -> {
            if (method.getName().equals("handle")) {
              action.run();
            }
            return null;
          };
      Object proxy =
          Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, call);
      Object which = signal.getConstructor(String.class).newInstance(name);
      signal.getMethod("handle", signal, handler).invoke(null, which, proxy);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("SIG{} cannot be handled on this JVM: {}", name, e.toString());
    }
  }
}
